import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { companies } from "./companies";

export const productTypes = ["asset", "endpoint"] as const;
export const assetKinds = ["calculation", "visualization"] as const;

/**
 * What sellers sell. An endpoint pages through rows and is billed per
 * successful request; an asset computes one value or one chart and is billed
 * per execution. Both read a data source through a declarative query spec.
 */
export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    sellerCompanyId: text("seller_company_id").notNull().references(() => companies.id),
    type: text("type", { enum: productTypes }).notNull(),
    assetKind: text("asset_kind", { enum: assetKinds }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** JSON array of strings. */
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    category: text("category"),
    documentation: text("documentation").notNull().default(""),
    /** JSON array of strings; endpoints only. Drives search relevance. */
    topQuestions: text("top_questions", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    dataSourceId: text("data_source_id").notNull(),
    /** The declarative query spec (JSON), validated by src/data/query. */
    spec: text("spec", { mode: "json" }).notNull(),
    /** A free sample: rows or a result, computed when the product is saved. */
    preview: text("preview", { mode: "json" }),
    /** Micro-dollars per execution or request; 0 = free. The history is in product_prices. */
    priceUsd: integer("price_usd").notNull().default(0),
    sellInMarketplace: integer("sell_in_marketplace", { mode: "boolean" }).notNull().default(false),
    /** Grows with every change; the product's object (src/products/state.ts) writes this row, newest version wins. */
    version: integer("version").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("products_seller").on(t.sellerCompanyId)],
);

export const productPrices = sqliteTable(
  "product_prices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    productId: text("product_id").notNull().references(() => products.id),
    priceUsd: integer("price_usd").notNull(),
    effectiveAt: integer("effective_at").notNull(),
  },
  // One price per instant: the product's object re-sends its prices until D1 has them.
  (t) => [uniqueIndex("product_prices_product").on(t.productId, t.effectiveAt)],
);

/**
 * One key per (buyer company, endpoint), provisioned on the buyer's first
 * fetch. A seller's revocation is final for that buyer; a buyer who revokes
 * their own key gets a fresh one on the next fetch.
 */
export const endpointKeys = sqliteTable(
  "endpoint_keys",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id").notNull().references(() => products.id),
    buyerCompanyId: text("buyer_company_id").notNull().references(() => companies.id),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedBy: text("revoked_by", { enum: ["buyer", "seller"] }),
  },
  (t) => [
    uniqueIndex("endpoint_keys_hash").on(t.hash),
    uniqueIndex("endpoint_keys_live").on(t.endpointId, t.buyerCompanyId).where(sql`revoked_at IS NULL`),
    index("endpoint_keys_buyer").on(t.buyerCompanyId),
  ],
);

/** Assets a company subscribed to: free, moves no credits. */
export const library = sqliteTable(
  "library",
  {
    companyId: text("company_id").notNull(),
    productId: text("product_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.productId] })],
);

/**
 * D1's copy of every metered call from a known key, for sellers' request logs
 * and disputes. The record of truth is the buyer's wallet, which writes each
 * row in the same transaction as the call's charge; rows arrive through the
 * ledger feed (src/feed/consumer.ts), `ON CONFLICT DO NOTHING` on the id.
 */
export const requestLogs = sqliteTable(
  "request_logs",
  {
    /** The attempt's request id. */
    id: text("id").primaryKey(),
    keyId: text("key_id"),
    companyId: text("company_id"),
    productId: text("product_id"),
    sellerCompanyId: text("seller_company_id"),
    /** Where the call came in: `api` (REST), `app` (the admin), `mcp`. */
    channel: text("channel", { enum: ["api", "app", "mcp"] }).notNull().default("api"),
    method: text("method").notNull(),
    status: integer("status").notNull(),
    errorCode: text("error_code"),
    rows: integer("rows"),
    billed: integer("billed", { mode: "boolean" }).notNull(),
    credits: integer("credits").notNull(),
    durationMs: integer("duration_ms").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("request_logs_company").on(t.companyId, t.createdAt),
    index("request_logs_product").on(t.productId, t.createdAt),
  ],
);
