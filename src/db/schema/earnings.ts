import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Sellers' earnings rolled up from D1's `transactions` (the wallets' ledger
 * copy) by a trigger, `AFTER INSERT ON transactions` for `charge` and `refund`
 * rows that name a seller (migration `0009_seller_rollups`): a charge adds its
 * seller share and one sale, a refund subtracts its share and counts one
 * refund. Ledger rows arrive with `INSERT ... ON CONFLICT(id) DO NOTHING`
 * from whoever copies them, and the trigger fires only for rows actually
 * inserted, so a redelivered row never counts twice and the order of arrival
 * does not matter: the rollups equal the ledger exactly, always (they change
 * in the same statement as the ledger). Never written by application code.
 *
 * Amounts are micro-dollars, net of refunds; UTC days and months.
 */

const columns = {
  sellerCompanyId: text("seller_company_id").notNull(),
  productId: text("product_id").notNull(),
  productType: text("product_type", { enum: ["asset", "endpoint"] }).notNull(),
  /** Billed executions or requests (charge entries). */
  sales: integer("sales").notNull(),
  /** Refund entries (refunded disputes). */
  refunds: integer("refunds").notNull(),
  earningsUsd: integer("earnings_usd").notNull(),
};

/** Per seller, product and UTC day (`YYYY-MM-DD`): 30-day figures and daily charts. */
export const sellerEarningsDays = sqliteTable(
  "seller_earnings_days",
  { ...columns, day: text("day").notNull() },
  (t) => [primaryKey({ columns: [t.sellerCompanyId, t.day, t.productId, t.productType] })],
);

/** Per seller, product and UTC month (`YYYY-MM`): payouts and their line items, monthly charts. */
export const sellerEarningsMonths = sqliteTable(
  "seller_earnings_months",
  { ...columns, period: text("period").notNull() },
  (t) => [
    primaryKey({ columns: [t.sellerCompanyId, t.period, t.productId, t.productType] }),
    // The payout job's fan-out reads a month's sellers across all of them.
    index("seller_earnings_months_period").on(t.period, t.sellerCompanyId),
  ],
);

/** Per seller, all time: who has ever earned (the payout job's sellers) and what. */
export const sellerEarningsTotals = sqliteTable("seller_earnings_totals", {
  sellerCompanyId: text("seller_company_id").primaryKey(),
  sales: integer("sales").notNull(),
  refunds: integer("refunds").notNull(),
  earningsUsd: integer("earnings_usd").notNull(),
});
