/**
 * What buyers read before they buy: search, one listing, and the quote.
 * The tRPC marketplace router and the MCP tools both answer from here.
 */
import { z } from "zod";
import { parseSpec } from "../data";
import { dueOf, termsFor, type Caller } from "../metering/call";
import { toDecimalNumber } from "../money";
import { searchProducts } from "../products/search";
import { getVisibleProduct } from "../products/service";
import { listingView } from "../products/views";
import { currentRate } from "../rates";
import { listingReputation } from "../ratings/listing";
import type { Services } from "../services";
import type { Db } from "../db";
import { listCursor, listInput, mapPage, paged } from "../paging";

const searchCursor = listCursor("search", z.tuple([z.number(), z.string().min(1).max(100)]));

/** The marketplace's search: words (ranked with bm25) and filters, one page of listings. */
export const searchInput = listInput(
  {
    query: z.string().max(200).optional(),
    type: z.enum(["asset", "endpoint"]).optional(),
    assetKind: z.enum(["calculation", "visualization"]).optional(),
    tags: z.array(z.string().max(40)).max(10).optional(),
    category: z.string().max(60).optional(),
    minPriceUsd: z.number().min(0).max(10_000).optional(),
    maxPriceUsd: z.number().min(0).max(10_000).optional(),
  },
  20,
  100,
);

/** One page of listed products matching `input` (prices in USD), with their price now and the seller's reputation. */
export async function searchListings(db: Db, input: z.output<typeof searchInput>) {
  const toMicro = (usd: number | undefined) => (usd === undefined ? undefined : Math.round(usd * 1_000_000));
  const [page, rate] = await Promise.all([
    paged(
      input,
      searchCursor,
      (after, limit) => searchProducts(db, { ...input, limit, after, minPriceUsd: toMicro(input.minPriceUsd), maxPriceUsd: toMicro(input.maxPriceUsd) }),
      (hit) => [...hit.sortKey] as [number, string],
    ),
    currentRate(db),
  ]);
  return mapPage(page, async (hits) => {
    const reputation = await listingReputation(db, hits);
    return hits.map(({ sortKey: _key, ...hit }) => ({
      ...listingView({ ...hit, documentation: "", preview: null }, { name: hit.sellerName }, rate),
      ...reputation.get(hit.id)!,
    }));
  });
}

/** One product as a buyer sees it: description, preview, price in USD and credits, and its filters. */
export async function productListing(db: Db, viewerCompanyId: string, id: string) {
  const [{ product, sellerName }, rate] = await Promise.all([getVisibleProduct(db, viewerCompanyId, id), currentRate(db)]);
  const filters = parseSpec(product.spec).filters.map(({ param, type, op, required, description }) => ({ param, type, op, required, description }));
  return listingView(product, { name: sellerName }, rate, filters);
}

/** What a product costs `caller` now, the balance after, and whether it is affordable: the terms a call would be charged by. */
export async function quoteFor(s: Services, caller: Caller, id: string) {
  const [terms, rate, balance] = await Promise.all([termsFor(s, caller, id), currentRate(s.db), s.wallet(caller.companyId).balance()]);
  const { due } = dueOf(terms, caller, rate);
  const credits = due?.credits ?? 0;
  return {
    productId: terms.productId,
    priceUsd: toDecimalNumber(terms.priceUsd),
    credits: toDecimalNumber(credits),
    availableCredits: toDecimalNumber(balance.available),
    balanceAfter: toDecimalNumber(balance.available - credits),
    affordable: balance.available >= credits,
    billedPer: terms.type === "asset" ? "execution" : "successful request",
  };
}
