import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A company buys, sells, or both. Its wallet is the Durable Object named by its id. */
export const companies = sqliteTable("companies", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  isBuyer: integer("is_buyer", { mode: "boolean" }).notNull().default(true),
  isSeller: integer("is_seller", { mode: "boolean" }).notNull().default(false),
  billingEmail: text("billing_email"),
  /** Set once Stripe reports the seller's connected account complete with payouts enabled. */
  canSell: integer("can_sell", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
});

export const keyScopes = ["read", "full", "admin"] as const;
export type KeyScope = (typeof keyScopes)[number];

/**
 * Company API keys. Only the SHA-256 of the secret is stored; `prefix` is the
 * first characters shown back so a person can tell keys apart.
 * Scope `admin` belongs to platform admins (company `platform`).
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull().references(() => companies.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    scope: text("scope", { enum: keyScopes }).notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash), index("api_keys_company").on(t.companyId)],
);

/** The credit's USD value and the platform fee, with their history. The newest row in force wins. */
export const creditRates = sqliteTable("credit_rates", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  effectiveAt: integer("effective_at").notNull(),
  usdPerCredit: integer("usd_per_credit").notNull(),
  platformFeeBps: integer("platform_fee_bps").notNull(),
});
