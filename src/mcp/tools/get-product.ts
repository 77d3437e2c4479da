import { z } from "zod";
import { productListing } from "../../marketplace/listings";
import { productId } from "../../products/schema";
import { ok } from "../results";
import { tool } from "../tool";

export const getProduct = tool({
  name: "get_product",
  title: "Read a product",
  description:
    "Everything a buyer may see of one product: its description and documentation, the questions it answers, a preview of its result, " +
    "its price in USD and in credits (priceUsd, priceCredits) and, for endpoints and assets, the filters it takes (name, type, operator, required). Free. " +
    "Endpoints are read with fetch_endpoint_page, assets run with execute_asset.",
  input: z.object({ product_id: productId.describe("The product's id from search_marketplace (ep_... or ast_...).") }).strict(),
  scope: "read",
  readOnly: true,
  metered: false,
  async run(ctx, input) {
    const listing = await productListing(ctx.s.db, ctx.caller.companyId, input.product_id);
    return ok({ ...listing, buyWith: listing.type === "endpoint" ? "fetch_endpoint_page" : "execute_asset" });
  },
});
