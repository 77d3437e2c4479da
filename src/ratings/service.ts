/**
 * Ratings: a buyer company that has used a product (processed the asset, or
 * called the endpoint successfully) rates it 1 to 5 stars with an optional
 * review. One rating per company and product; rating again updates it.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { chunks, type Db } from "../db";
import { companies, products, ratings } from "../db/schema";
import { TesseraError } from "../errors";
import { pastKey } from "../paging";

export type Rating = typeof ratings.$inferSelect;

/** Whether D1's copy shows the company processed the asset or got a 200 from the endpoint (billed or free). */
export async function hasUsed(db: Db, companyId: string, productId: string): Promise<boolean> {
  const row = await db.get<{ used: number }>(sql`
    SELECT (
      EXISTS (SELECT 1 FROM transactions WHERE company_id = ${companyId} AND product_id = ${productId} AND kind = 'charge')
      OR EXISTS (SELECT 1 FROM request_logs WHERE company_id = ${companyId} AND product_id = ${productId} AND status = 200)
    ) AS used`);
  return row?.used === 1;
}

/**
 * Rates (or re-rates) a product. When D1's copy shows no use, `usedNow` asks
 * the buyer's wallet, which settled every call itself: a call made a moment
 * ago may still be on its way to D1.
 */
export async function rateProduct(
  db: Db,
  input: { companyId: string; productId: string; stars: number; review: string | null },
  usedNow?: () => Promise<boolean>,
): Promise<Rating> {
  const product = await db.query.products.findFirst({ where: eq(products.id, input.productId), columns: { id: true, sellerCompanyId: true } });
  if (!product) throw new TesseraError("NOT_FOUND", `No product ${input.productId}.`);
  if (product.sellerCompanyId === input.companyId) throw new TesseraError("FORBIDDEN", "Sellers cannot rate their own products.");
  const used = (await hasUsed(db, input.companyId, product.id)) || (usedNow !== undefined && (await usedNow()));
  if (!used) {
    throw new TesseraError("FORBIDDEN", "Rate a product after your company has processed it (asset) or called it (endpoint).");
  }
  const now = Date.now();
  const [row] = await db
    .insert(ratings)
    .values({ productId: product.id, companyId: input.companyId, stars: input.stars, review: input.review, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [ratings.productId, ratings.companyId], set: { stars: input.stars, review: input.review, updatedAt: now } })
    .returning();
  return row!;
}

export interface RatingSummary {
  /** Mean stars to two decimals; null without ratings. */
  average: number | null;
  count: number;
}

/** Average of `count` ratings totalling `total` stars. */
export function summary(total: number, count: number): RatingSummary {
  return { average: count === 0 ? null : Math.round((total * 100) / count) / 100, count };
}

/** Average and count per product, for listings. Products without ratings are absent. */
export async function ratingSummaries(db: Db, productIds: string[]): Promise<Map<string, RatingSummary>> {
  const out = new Map<string, RatingSummary>();
  for (const ids of chunks(productIds)) {
    const rows = await db
      .select({ productId: ratings.productId, total: sql<number>`sum(${ratings.stars})`, count: sql<number>`count(*)` })
      .from(ratings)
      .where(inArray(ratings.productId, ids))
      .groupBy(ratings.productId);
    for (const row of rows) out.set(row.productId, summary(Number(row.total), Number(row.count)));
  }
  return out;
}

/** A product's ratings: the summary and how many of each star. */
export async function productRatings(db: Db, productId: string) {
  const stars = await db.select({ stars: ratings.stars, count: sql<number>`count(*)` }).from(ratings).where(eq(ratings.productId, productId)).groupBy(ratings.stars);
  const distribution: Record<1 | 2 | 3 | 4 | 5, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let total = 0;
  let count = 0;
  for (const s of stars) {
    distribution[s.stars as 1] = Number(s.count);
    total += s.stars * Number(s.count);
    count += Number(s.count);
  }
  return { ...summary(total, count), distribution };
}

/** A product's ratings one by one, latest first; page on `after` the last one's [updatedAt, companyId]. */
export async function productReviews(db: Db, productId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  return db
    .select({ companyId: ratings.companyId, companyName: companies.name, stars: ratings.stars, review: ratings.review, createdAt: ratings.createdAt, updatedAt: ratings.updatedAt })
    .from(ratings)
    .innerJoin(companies, eq(companies.id, ratings.companyId))
    .where(and(eq(ratings.productId, productId), pastKey("desc", [ratings.updatedAt, ratings.companyId], page.after)))
    .orderBy(desc(ratings.updatedAt), desc(ratings.companyId))
    .limit(page.limit);
}

/** The company's own ratings, latest first; page on `after` the last one's [updatedAt, productId]. */
export async function ratingsBy(db: Db, companyId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  return db
    .select({ productId: ratings.productId, productName: products.name, stars: ratings.stars, review: ratings.review, updatedAt: ratings.updatedAt })
    .from(ratings)
    .innerJoin(products, eq(products.id, ratings.productId))
    .where(and(eq(ratings.companyId, companyId), pastKey("desc", [ratings.updatedAt, ratings.productId], page.after)))
    .orderBy(desc(ratings.updatedAt), desc(ratings.productId))
    .limit(page.limit);
}

export async function ownRating(db: Db, companyId: string, productId: string): Promise<Rating | undefined> {
  return db.query.ratings.findFirst({ where: and(eq(ratings.companyId, companyId), eq(ratings.productId, productId)) });
}
