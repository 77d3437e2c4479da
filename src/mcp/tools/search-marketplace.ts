import { z } from "zod";
import { searchListings } from "../../marketplace/listings";
import { okPage } from "../results";
import { tool } from "../tool";
import { paging } from "./schema";

export const searchMarketplace = tool({
  name: "search_marketplace",
  title: "Search the marketplace",
  description:
    "Find data products to buy: endpoints (paginated rows, billed per successful page) and assets (one computed value or chart, billed per execution). " +
    "Full-text search over names, descriptions, tags and the questions each product answers, ranked best first; filter by type, category, tags and USD price. " +
    "Each result has its id, price in USD and in credits, seller and rating. Free. Next: get_product for details, quote for the exact cost.",
  input: z
    .object({
      query: z.string().max(200).optional().describe("Words or a question, e.g. 'population of European cities'."),
      type: z.enum(["asset", "endpoint"]).optional(),
      asset_kind: z.enum(["calculation", "visualization"]).optional().describe("For assets: a single value, or a chart."),
      category: z.string().max(60).optional(),
      tags: z.array(z.string().max(40)).max(10).optional(),
      min_price_usd: z.number().min(0).max(10_000).optional(),
      max_price_usd: z.number().min(0).max(10_000).optional(),
      ...paging(10, 50),
    })
    .strict(),
  scope: "read",
  readOnly: true,
  metered: false,
  async run(ctx, input) {
    const page = await searchListings(ctx.s.db, {
      query: input.query,
      type: input.type,
      assetKind: input.asset_kind,
      category: input.category,
      tags: input.tags,
      minPriceUsd: input.min_price_usd,
      maxPriceUsd: input.max_price_usd,
      limit: input.limit,
      cursor: input.cursor,
    });
    const listings = page.items.map(({ documentation: _d, preview: _p, filters: _f, sellerEarnsUsd: _e, platformFeeUsd: _fee, ...listing }) => listing);
    return okPage("results", listings, page.nextCursor);
  },
});
