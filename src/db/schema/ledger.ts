import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ledgerKinds } from "../../wallet/kinds";

export { ledgerKinds, type LedgerKind } from "../../wallet/kinds";

/**
 * D1's copy of every wallet's ledger. Rows arrive from each wallet's outbox
 * with `ON CONFLICT DO NOTHING` on `id`, so the table converges to exactly the
 * wallets' ledgers. Never updated, never deleted.
 */
export const transactions = sqliteTable(
  "transactions",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull(),
    /** Position in the company's ledger, from 1. */
    seq: integer("seq").notNull(),
    kind: text("kind", { enum: ledgerKinds }).notNull(),
    /** The caller-chosen id of the operation that made this entry. */
    operationId: text("operation_id").notNull(),
    /** Micro-credits, signed: deposits positive, charges and expiries negative. */
    amount: integer("amount").notNull(),
    balanceAfter: integer("balance_after").notNull(),
    productId: text("product_id"),
    productType: text("product_type", { enum: ["asset", "endpoint"] }),
    sellerCompanyId: text("seller_company_id"),
    /** Micro-dollars; set on charges (and their refunds). */
    grossUsd: integer("gross_usd"),
    sellerShareUsd: integer("seller_share_usd"),
    platformFeeUsd: integer("platform_fee_usd"),
    /** Micro-dollars per credit in force for this entry. */
    usdPerCredit: integer("usd_per_credit").notNull(),
    reason: text("reason"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("transactions_company_time").on(t.companyId, t.createdAt),
    index("transactions_seller_time").on(t.sellerCompanyId, t.createdAt),
  ],
);
