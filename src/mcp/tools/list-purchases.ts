import { z } from "zod";
import { getPurchase, purchasesPage } from "../../products/purchases";
import { ok, okPage } from "../results";
import { tool } from "../tool";
import { resultContent, withoutSvg } from "./content";
import { paging } from "./schema";

export const listPurchasesTool = tool({
  name: "list_purchases",
  title: "Stored results",
  description:
    "Your company's stored asset results, newest first (id, product, credits paid, when). Pass a `purchase_id` to read one stored result again, " +
    "a chart with its SVG image. Free: re-reading never bills.",
  input: z
    .object({
      purchase_id: z.string().min(1).max(100).optional().describe("A purchase id (pur_...) to read its stored result."),
      ...paging(20, 100),
    })
    .strict(),
  scope: "read",
  readOnly: true,
  metered: false,
  async run(ctx, input) {
    if (input.purchase_id) {
      const purchase = await getPurchase(ctx.s, ctx.caller.companyId, input.purchase_id);
      return ok({ purchase: { ...purchase, result: withoutSvg(purchase.result) } }, resultContent(purchase.result));
    }
    const page = await purchasesPage(ctx.s, ctx.caller.companyId, input);
    return okPage("purchases", page.items, page.nextCursor);
  },
});
