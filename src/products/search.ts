import { eq, sql, type SQL } from "drizzle-orm";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../db";
import type { Product } from "./service";

/**
 * Marketplace search: SQLite FTS5 over name, description, tags and Top
 * Questions (table `products_fts`, made by a migration), ranked with bm25.
 * Top Questions weigh most: a product that answers the buyer's question
 * should come first.
 */
const WEIGHTS = { name: 8, description: 2, tags: 4, topQuestions: 10 };

/**
 * The FTS5 table as Drizzle sees it, to write it in batches. It lives outside
 * src/db/schema on purpose: drizzle-kit can't create virtual tables, so
 * migrations/0002_product_search.sql does.
 */
const productsFts = sqliteTable("products_fts", {
  productId: text("product_id").notNull(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  tags: text("tags").notNull(),
  topQuestions: text("top_questions").notNull(),
});

/** Statements that (re)index one product, to run in the same batch as its write. */
export function indexProduct(db: Db, product: Product) {
  return [
    db.delete(productsFts).where(eq(productsFts.productId, product.id)),
    db.insert(productsFts).values({
      productId: product.id,
      name: product.name,
      description: product.description,
      tags: product.tags.join(" "),
      topQuestions: product.topQuestions.join("\n"),
    }),
  ] as const;
}

export interface SearchInput {
  query?: string | undefined;
  type?: "asset" | "endpoint" | undefined;
  assetKind?: "calculation" | "visualization" | undefined;
  tags?: string[] | undefined;
  category?: string | undefined;
  /** Micro-dollars, inclusive. */
  minPriceUsd?: number | undefined;
  maxPriceUsd?: number | undefined;
  limit: number;
  /** Where the last page ended: its last hit's `sortKey`. */
  after?: SearchKey | undefined;
}

/**
 * A hit's place in the results: its bm25 rank with a query (lower first), or
 * its creation time without one (newest first); then its id.
 */
export type SearchKey = readonly [number, string];

export interface SearchHit {
  id: string;
  type: "asset" | "endpoint";
  assetKind: "calculation" | "visualization" | null;
  name: string;
  description: string;
  tags: string[];
  category: string | null;
  topQuestions: string[];
  priceUsd: number;
  sellerCompanyId: string;
  sellerName: string;
  sortKey: SearchKey;
}

/**
 * The buyer's words as an FTS5 query: each word quoted (so no FTS syntax can
 * be injected) and prefix-matched, any of them may match; bm25 ranks.
 */
export function ftsQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 20) ?? [];
  return words.length ? words.map((w) => `"${w}"*`).join(" OR ") : null;
}

/** `isListed` (service.ts) in SQL, over products `p` joined with their seller company `c`. */
export const LISTED_SQL = sql`p.sell_in_marketplace = 1 AND c.can_sell = 1 AND trim(p.description) <> '' AND p.category IS NOT NULL AND p.category <> ''`;

/** Listed products only: sell_in_marketplace on, seller able to sell, description and category set. */
export async function searchProducts(db: Db, input: SearchInput): Promise<SearchHit[]> {
  const match = input.query ? ftsQuery(input.query) : null;
  const filters: SQL[] = [LISTED_SQL];
  if (input.type) filters.push(sql`p.type = ${input.type}`);
  if (input.assetKind) filters.push(sql`p.asset_kind = ${input.assetKind}`);
  if (input.category) filters.push(sql`p.category = ${input.category}`);
  if (input.minPriceUsd !== undefined) filters.push(sql`p.price_usd >= ${input.minPriceUsd}`);
  if (input.maxPriceUsd !== undefined) filters.push(sql`p.price_usd <= ${input.maxPriceUsd}`);
  for (const tag of input.tags ?? []) {
    filters.push(sql`EXISTS (SELECT 1 FROM json_each(p.tags) WHERE lower(json_each.value) = lower(${tag}))`);
  }
  const where = sql.join(filters, sql` AND `);
  const columns = sql`p.id, p.type, p.asset_kind, p.name, p.description, p.tags, p.category, p.top_questions, p.price_usd,
    p.seller_company_id, c.name AS seller_name`;
  const after = input.after;
  // Keyset paging: a rank (a double, sent back exactly as JSON) or a time, then the id.
  const query = match
    ? sql`SELECT * FROM (
          SELECT ${columns}, bm25(products_fts, 0, ${WEIGHTS.name}, ${WEIGHTS.description}, ${WEIGHTS.tags}, ${WEIGHTS.topQuestions}) AS sort_key
          FROM products_fts
          JOIN products p ON p.id = products_fts.product_id
          JOIN companies c ON c.id = p.seller_company_id
          WHERE products_fts MATCH ${match} AND ${where})
        ${after ? sql`WHERE sort_key > ${after[0]} OR (sort_key = ${after[0]} AND id > ${after[1]})` : sql``}
        ORDER BY sort_key, id
        LIMIT ${input.limit}`
    : sql`SELECT ${columns}, p.created_at AS sort_key FROM products p
        JOIN companies c ON c.id = p.seller_company_id
        WHERE ${where}
        ${after ? sql`AND (p.created_at < ${after[0]} OR (p.created_at = ${after[0]} AND p.id > ${after[1]}))` : sql``}
        ORDER BY p.created_at DESC, p.id
        LIMIT ${input.limit}`;
  const rows = await db.all<Record<string, unknown>>(query);
  return rows.map((r) => ({
    id: r.id as string,
    type: r.type as SearchHit["type"],
    assetKind: (r.asset_kind ?? null) as SearchHit["assetKind"],
    name: r.name as string,
    description: r.description as string,
    tags: JSON.parse(r.tags as string) as string[],
    category: (r.category ?? null) as string | null,
    topQuestions: JSON.parse(r.top_questions as string) as string[],
    priceUsd: r.price_usd as number,
    sellerCompanyId: r.seller_company_id as string,
    sellerName: r.seller_name as string,
    sortKey: [r.sort_key as number, r.id as string],
  }));
}
