import { z } from "zod";
import { quoteFor } from "../../marketplace/listings";
import { productId } from "../../products/schema";
import { ok } from "../results";
import { tool } from "../tool";

export const quote = tool({
  name: "quote",
  title: "Quote a product",
  description:
    "What one call of a product costs your company now, from the same terms the charge uses: price in USD, credits, credits available, " +
    "the balance after, whether it is affordable, and what is billed (one execution, or one successful page). Free; moves no credits.",
  input: z.object({ product_id: productId }).strict(),
  scope: "read",
  readOnly: true,
  metered: false,
  async run(ctx, input) {
    return ok(await quoteFor(ctx.s, { keyId: ctx.caller.keyId, companyId: ctx.caller.companyId, channel: "mcp" }, input.product_id));
  },
});
