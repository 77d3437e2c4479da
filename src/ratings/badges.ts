/**
 * Reputation badges, computed from the books each time (never stored, so
 * they can't drift from the facts):
 *
 * - Contributor: at least 1 product listed in the marketplace now.
 * - Top Seller: earned the equivalent of at least 1,000 credits from sales.
 *   Each sale's seller share is converted at the credit value recorded on
 *   that sale (micro-dollars ÷ micro-dollars per credit, rounded down per
 *   sale), refunded sales subtracted. At $0.50 a credit that is $500 of
 *   seller share; a later change of the credit value does not move it.
 * - Power Buyer: at least 50 purchases: billed asset executions and endpoint
 *   requests (ledger charges), refunded ones not counted.
 * - Domain Expert: at least 5 listed products in one category whose ratings
 *   average above 4.0 (all ratings of those products together; at least one
 *   rating).
 */
import { inArray, sql } from "drizzle-orm";
import { chunks, type Db } from "../db";
import { transactions } from "../db/schema";
import { MICRO } from "../money";
import { LISTED_SQL } from "../products/search";

export type BadgeName = "Contributor" | "Top Seller" | "Power Buyer" | "Domain Expert";

export interface Badge {
  name: BadgeName;
  /** What earned it, in words. */
  detail: string;
  /** Domain Expert only: the category. */
  category?: string;
}

export const TOP_SELLER_CREDITS = 1_000;
export const POWER_BUYER_PURCHASES = 50;
export const DOMAIN_EXPERT_LISTINGS = 5;
export const DOMAIN_EXPERT_RATING = 4;

// Inlined, not bound: integer division needs an integer operand.
const PER_CREDIT = sql.raw(String(MICRO));

const idList = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

export interface Reputation {
  listings: number;
  byCategory: { category: string; listings: number; ratings: number; starsTotal: number }[];
  creditsEarned: number;
  purchases: number;
}

/** The facts badges are made of, per company. */
export async function reputationOf(db: Db, companyIds: string[]): Promise<Map<string, Reputation>> {
  const out = new Map<string, Reputation>(companyIds.map((id) => [id, { listings: 0, byCategory: [], creditsEarned: 0, purchases: 0 }]));
  for (const ids of chunks([...new Set(companyIds)])) {
    const [categories, earned, bought] = await Promise.all([
      db.all<{ seller: string; category: string; listings: number; ratings: number; stars: number }>(sql`
        SELECT p.seller_company_id AS seller, p.category AS category, count(DISTINCT p.id) AS listings,
               count(r.stars) AS ratings, coalesce(sum(r.stars), 0) AS stars
        FROM products p
        JOIN companies c ON c.id = p.seller_company_id
        LEFT JOIN ratings r ON r.product_id = p.id
        WHERE p.seller_company_id IN (${idList(ids)}) AND ${LISTED_SQL}
        GROUP BY p.seller_company_id, p.category`),
      db
        .select({
          seller: transactions.sellerCompanyId,
          credits: sql<number>`coalesce(sum(CASE ${transactions.kind}
            WHEN 'charge' THEN ${transactions.sellerShareUsd} * ${PER_CREDIT} / ${transactions.usdPerCredit}
            WHEN 'refund' THEN -(${transactions.sellerShareUsd} * ${PER_CREDIT} / ${transactions.usdPerCredit}) END), 0)`,
        })
        .from(transactions)
        .where(sql`${transactions.sellerCompanyId} IN (${idList(ids)}) AND ${inArray(transactions.kind, ["charge", "refund"])}`)
        .groupBy(transactions.sellerCompanyId),
      db
        .select({
          company: transactions.companyId,
          purchases: sql<number>`coalesce(sum(CASE ${transactions.kind} WHEN 'charge' THEN 1 WHEN 'refund' THEN -1 END), 0)`,
        })
        .from(transactions)
        .where(sql`${transactions.companyId} IN (${idList(ids)}) AND ${inArray(transactions.kind, ["charge", "refund"])} AND ${transactions.productId} IS NOT NULL`)
        .groupBy(transactions.companyId),
    ]);
    for (const row of categories) {
      const rep = out.get(row.seller)!;
      rep.listings += Number(row.listings);
      rep.byCategory.push({ category: row.category, listings: Number(row.listings), ratings: Number(row.ratings), starsTotal: Number(row.stars) });
    }
    for (const row of earned) if (row.seller) out.get(row.seller)!.creditsEarned = Number(row.credits);
    for (const row of bought) out.get(row.company)!.purchases = Number(row.purchases);
  }
  return out;
}

export function badgesFrom(rep: Reputation): Badge[] {
  const badges: Badge[] = [];
  if (rep.listings >= 1) badges.push({ name: "Contributor", detail: `${rep.listings} listing${rep.listings === 1 ? "" : "s"} in the marketplace` });
  if (rep.creditsEarned >= TOP_SELLER_CREDITS * MICRO) {
    badges.push({ name: "Top Seller", detail: `Earned the equivalent of ${TOP_SELLER_CREDITS.toLocaleString("en-US")}+ credits from sales` });
  }
  if (rep.purchases >= POWER_BUYER_PURCHASES) badges.push({ name: "Power Buyer", detail: `${rep.purchases} purchases` });
  for (const c of rep.byCategory.sort((a, b) => a.category.localeCompare(b.category))) {
    // average > 4.0 exactly, in integers: total > 4 × count.
    if (c.listings >= DOMAIN_EXPERT_LISTINGS && c.ratings > 0 && c.starsTotal > DOMAIN_EXPERT_RATING * c.ratings) {
      badges.push({
        name: "Domain Expert",
        category: c.category,
        detail: `${c.listings} listings in ${c.category}, rated ${(Math.round((c.starsTotal * 100) / c.ratings) / 100).toFixed(2)} on average`,
      });
    }
  }
  return badges;
}

/** Badges per company, for profiles and listings. */
export async function badgesFor(db: Db, companyIds: string[]): Promise<Map<string, Badge[]>> {
  const reps = await reputationOf(db, companyIds);
  return new Map([...reps].map(([id, rep]) => [id, badgesFrom(rep)]));
}
