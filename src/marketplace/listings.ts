/**
 * What buyers read before they buy: search, one listing, and the quote.
 * The tRPC marketplace router and the MCP tools both answer from here.
 */
import { parseSpec } from "../data";
import { dueOf, termsFor, type Caller } from "../metering/call";
import { toDecimalNumber } from "../money";
import { searchProducts, type SearchInput } from "../products/search";
import { getVisibleProduct } from "../products/service";
import { listingView } from "../products/views";
import { currentRate } from "../rates";
import { listingReputation } from "../ratings/listing";
import type { Services } from "../services";
import type { Db } from "../db";

/** Listed products matching `input` (prices in USD), with their price now and the seller's reputation. */
export async function searchListings(db: Db, input: Omit<SearchInput, "minPriceUsd" | "maxPriceUsd"> & { minPriceUsd?: number | undefined; maxPriceUsd?: number | undefined }) {
  const toMicro = (usd: number | undefined) => (usd === undefined ? undefined : Math.round(usd * 1_000_000));
  const [hits, rate] = await Promise.all([
    searchProducts(db, { ...input, minPriceUsd: toMicro(input.minPriceUsd), maxPriceUsd: toMicro(input.maxPriceUsd) }),
    currentRate(db),
  ]);
  const reputation = await listingReputation(db, hits);
  return hits.map((hit) => ({
    ...listingView({ ...hit, documentation: "", preview: null }, { name: hit.sellerName }, rate),
    ...reputation.get(hit.id)!,
  }));
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
