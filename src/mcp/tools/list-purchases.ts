import { z } from "zod";
import { toDecimalNumber } from "../../money";
import { getPurchase, listPurchases } from "../../products/purchases";
import { ok } from "../results";
import { tool } from "../tool";
import { resultContent, withoutSvg } from "./content";

export const listPurchasesTool = tool({
  name: "list_purchases",
  title: "Stored results",
  description:
    "Your company's stored asset results, newest first (id, product, credits paid, when). Pass a `purchase_id` to read one stored result again, " +
    "a chart with its SVG image. Free: re-reading never bills.",
  input: z
    .object({
      purchase_id: z.string().min(1).max(100).optional().describe("A purchase id (pur_...) to read its stored result."),
      limit: z.number().int().min(1).max(100).default(20),
      offset: z.number().int().min(0).max(10_000).default(0),
    })
    .strict(),
  scope: "read",
  readOnly: true,
  metered: false,
  async run(ctx, input) {
    if (input.purchase_id) {
      const purchase = await getPurchase(ctx.s.env, ctx.caller.companyId, input.purchase_id);
      return ok({ purchase: { ...purchase, result: withoutSvg(purchase.result) } }, resultContent(purchase.result));
    }
    const rows = await listPurchases(ctx.s.env, ctx.s.db, ctx.caller.companyId, input);
    return ok({ purchases: rows.map((r) => ({ ...r, credits: toDecimalNumber(r.credits), priceUsd: toDecimalNumber(r.priceUsd) })) });
  },
});
