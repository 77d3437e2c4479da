import type { Db } from "../db";
import { badgesFor, type Badge } from "./badges";
import { ratingSummaries, type RatingSummary } from "./service";

export interface ListingReputation {
  rating: RatingSummary;
  sellerBadges: Badge[];
}

/**
 * What a marketplace listing shows of reputation: the product's rating and
 * its seller's badges. For search results and product pages; three queries
 * whatever the number of listings.
 */
export async function listingReputation(db: Db, listings: { id: string; sellerCompanyId: string }[]): Promise<Map<string, ListingReputation>> {
  const [ratings, badges] = await Promise.all([
    ratingSummaries(db, listings.map((l) => l.id)),
    badgesFor(db, [...new Set(listings.map((l) => l.sellerCompanyId))]),
  ]);
  return new Map(
    listings.map((l) => [l.id, { rating: ratings.get(l.id) ?? { average: null, count: 0 }, sellerBadges: badges.get(l.sellerCompanyId) ?? [] }]),
  );
}
