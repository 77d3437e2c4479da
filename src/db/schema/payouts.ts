import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { companies } from "./companies";

/**
 * A seller's Stripe Connect (Express) account. A company has at most one live
 * account (not disconnected); disconnected ones stay for history. The company
 * may sell (`companies.can_sell`) only while its live account has
 * `details_submitted` and `payouts_enabled`.
 */
export const connectAccounts = sqliteTable(
  "connect_accounts",
  {
    /** Stripe's account id, `acct_...`. */
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull().references(() => companies.id),
    detailsSubmitted: integer("details_submitted", { mode: "boolean" }).notNull().default(false),
    payoutsEnabled: integer("payouts_enabled", { mode: "boolean" }).notNull().default(false),
    /** What Stripe still asks the seller for (`requirements.currently_due`). */
    requirementsDue: text("requirements_due", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Stripe time (seconds) of the newest account state applied; older webhook events are ignored. */
    syncedAt: integer("synced_at").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    disconnectedAt: integer("disconnected_at"),
  },
  (t) => [
    uniqueIndex("connect_accounts_live").on(t.companyId).where(sql`disconnected_at IS NULL`),
    index("connect_accounts_company").on(t.companyId, t.createdAt),
  ],
);

/**
 * pending: created, transfer not yet confirmed (an ambiguous Stripe error leaves it here).
 * sending: claimed by one run (`claimed_by`), which is transferring it now; no other run touches
 *   it until the claim is older than the claim timeout (the claimer died), then the same
 *   transfer key is sent again.
 * failed: Stripe refused the transfer; retried by the next run with a new attempt.
 * paid: transferred. rolled_over: the balance was under the minimum and carries to the next month.
 */
export const payoutStatuses = ["pending", "sending", "failed", "paid", "rolled_over"] as const;
export type PayoutStatus = (typeof payoutStatuses)[number];

/**
 * One seller's payout for one calendar month (UTC). Amounts are micro-dollars.
 * `carried_in + earnings = amount + carried_out`: the balance before the
 * month (rollovers, sub-cent remainders, negative balances from refunds) plus
 * the month's net seller shares is either transferred (whole cents) or
 * carried to the next month. A pending, failed or paid payout reserves its
 * amount, so later months never pay it twice.
 */
export const payouts = sqliteTable(
  "payouts",
  {
    /** `po_<period>_<companyId>`: deterministic, so a rerun finds the same payout. */
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull(),
    /** "2026-04". */
    period: text("period").notNull(),
    periodStart: integer("period_start").notNull(),
    periodEnd: integer("period_end").notNull(),
    status: text("status", { enum: payoutStatuses }).notNull(),
    earningsUsd: integer("earnings_usd").notNull(),
    carriedInUsd: integer("carried_in_usd").notNull(),
    amountUsd: integer("amount_usd").notNull(),
    carriedOutUsd: integer("carried_out_usd").notNull(),
    /** The destination of the current transfer attempt. */
    stripeAccountId: text("stripe_account_id"),
    transferId: text("transfer_id"),
    /** Part of the transfer's idempotency key; moves on only after Stripe definitely refused. */
    attempt: integer("attempt").notNull().default(1),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
    /** R2 key of the PDF report, once stored. */
    reportKey: text("report_key"),
    mailedAt: integer("mailed_at"),
    /** The run that created the row; its line items are written only with it. */
    runId: text("run_id").notNull(),
    /** The run that claimed the transfer (pending or failed → sending), and when. */
    claimedBy: text("claimed_by"),
    claimedAt: integer("claimed_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    paidAt: integer("paid_at"),
  },
  (t) => [
    uniqueIndex("payouts_company_period").on(t.companyId, t.period),
    index("payouts_status").on(t.status),
    index("payouts_period_status").on(t.period, t.status),
    // Settled payouts whose report is not yet stored or mailed: the payout job's fan-out reads these only.
    index("payouts_undelivered").on(t.companyId).where(sql`report_key IS NULL OR mailed_at IS NULL`),
  ],
);

/** A payout's line items: the month's net seller shares per product (and so per type). */
export const payoutLines = sqliteTable(
  "payout_lines",
  {
    payoutId: text("payout_id").notNull(),
    productId: text("product_id").notNull(),
    productType: text("product_type", { enum: ["asset", "endpoint"] }).notNull(),
    productName: text("product_name").notNull(),
    /** Billed executions or requests. */
    sales: integer("sales").notNull(),
    /** Of those, refunded after a dispute. */
    refunds: integer("refunds").notNull(),
    /** Micro-dollars: seller shares of the sales minus those of the refunds. */
    earningsUsd: integer("earnings_usd").notNull(),
  },
  (t) => [primaryKey({ columns: [t.payoutId, t.productId] })],
);

/**
 * Every e-mail Tessera sends, keyed by a caller-chosen id so a retry never
 * sends twice. With the `outbox` transport (local and tests) this table is
 * the mailbox; in production the Cloudflare e-mail binding sends and the row
 * records it.
 */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: text("id").primaryKey(),
    transport: text("transport", { enum: ["outbox", "send_email"] }).notNull(),
    from: text("from").notNull(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    attachments: text("attachments", { mode: "json" })
      .$type<{ filename: string; type: string; size: number }[]>()
      .notNull()
      .default(sql`'[]'`),
    messageId: text("message_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("mail_outbox_to").on(t.to, t.createdAt)],
);

/**
 * open → refunding → refunded, or open → rejected. `refunding` is claimed
 * before the wallet moves credits, so two admins can never resolve one
 * dispute two ways, and a retry of the refund finishes it exactly once.
 */
export const disputeStatuses = ["open", "refunding", "refunded", "rejected"] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];

/** A buyer's dispute of one billed transaction (a ledger charge entry). */
export const disputes = sqliteTable(
  "disputes",
  {
    id: text("id").primaryKey(),
    buyerCompanyId: text("buyer_company_id").notNull(),
    /** The ledger entry id of the charge, `<companyId>:<seq>`. */
    transactionId: text("transaction_id").notNull(),
    /** The charge's operation id: the request id, also the request log's id. */
    requestId: text("request_id").notNull(),
    productId: text("product_id").notNull(),
    productType: text("product_type", { enum: ["asset", "endpoint"] }).notNull(),
    sellerCompanyId: text("seller_company_id").notNull(),
    /** Micro-credits the buyer was charged. */
    credits: integer("credits").notNull(),
    grossUsd: integer("gross_usd").notNull(),
    sellerShareUsd: integer("seller_share_usd").notNull(),
    platformFeeUsd: integer("platform_fee_usd").notNull(),
    usdPerCredit: integer("usd_per_credit").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: disputeStatuses }).notNull(),
    resolutionNote: text("resolution_note"),
    refundEntryId: text("refund_entry_id"),
    resolvedBy: text("resolved_by"),
    createdAt: integer("created_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [
    uniqueIndex("disputes_transaction").on(t.transactionId),
    index("disputes_status").on(t.status, t.createdAt),
    index("disputes_buyer").on(t.buyerCompanyId, t.createdAt),
  ],
);

/** A buyer company's rating of a product it used: 1 to 5 stars, one per company, updatable. */
export const ratings = sqliteTable(
  "ratings",
  {
    productId: text("product_id").notNull(),
    companyId: text("company_id").notNull(),
    stars: integer("stars").notNull(),
    review: text("review"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.companyId] }), index("ratings_company").on(t.companyId)],
);
