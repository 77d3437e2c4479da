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

/**
 * What a key may do. For a company: `read` reads, `full` also changes things
 * (buy, sell, products, keys, billing), `company_admin` also manages the
 * company's people. `admin` is a platform admin's key (company `platform`),
 * outside that ladder.
 */
export const keyScopes = ["read", "full", "company_admin", "admin"] as const;
export type KeyScope = (typeof keyScopes)[number];

/**
 * Company API keys. Only the SHA-256 of the secret is stored; `prefix` is the
 * first characters shown back so a person can tell keys apart.
 * A key made by a person belongs to them (`member_id`) and is revoked when they
 * are removed; a key made by a company key inherits that key's owner. Keys
 * with no owner are the company's own (the one from sign-up and those it made).
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
    /** The member whose power bounds the key and whose removal revokes it; null for the company's own keys. */
    memberId: text("member_id"),
    /** Who made it: a member id or a key id; null for the sign-up key and platform keys. */
    createdBy: text("created_by"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash), index("api_keys_company").on(t.companyId), index("api_keys_member").on(t.memberId)],
);

/** The credit's USD value and the platform fee, with their history. The newest row in force wins. */
export const creditRates = sqliteTable("credit_rates", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  effectiveAt: integer("effective_at").notNull(),
  usdPerCredit: integer("usd_per_credit").notNull(),
  platformFeeBps: integer("platform_fee_bps").notNull(),
});
