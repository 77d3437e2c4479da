import { z } from "zod";
import { getPurchase, purchasesPage } from "../../products/purchases";
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
      cursor: z.string().min(1).max(1000).optional().describe("The next_cursor of the previous page, to read the page after it."),
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
    const page = await purchasesPage(ctx.s.env, ctx.s.db, ctx.caller.companyId, input);
    return ok({ purchases: page.items, next_cursor: page.nextCursor });
  },
});
