import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Buying credits: the catalogue of bundles and plans (seeded by a migration),
 * the orders that record each purchase, the Stripe customer of each company,
 * a mirror of each company's plan subscription, auto-refill and low-balance
 * alert settings. Credits are micro-credits and prices cents (what Stripe takes).
 */

export const catalogueKinds = ["bundle", "plan"] as const;
export const planIntervals = ["month", "year"] as const;
export type PlanInterval = (typeof planIntervals)[number];

/** Bundles and plans, as data. The price is derived: base credits at the credit value, less the discount. */
export const billingCatalogue = sqliteTable("billing_catalogue", {
  /** `starter`, `professional_monthly`, ...: what buyers pass to checkout. */
  id: text("id").primaryKey(),
  kind: text("kind", { enum: catalogueKinds }).notNull(),
  name: text("name").notNull(),
  /** Plans only: how often a period is billed and credited. */
  interval: text("interval", { enum: planIntervals }),
  /** Micro-credits paid for. */
  credits: integer("credits").notNull(),
  /** Micro-credits given on top, free. */
  bonusCredits: integer("bonus_credits").notNull().default(0),
  /** Basis points off the price (750 = 7.5%). */
  discountBps: integer("discount_bps").notNull().default(0),
  /** Display order within its kind and interval. */
  rank: integer("rank").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
});

/** One Stripe customer per company; `paymentMethodId` is the card saved for off-session charges (auto-refill). */
export const billingCustomers = sqliteTable("billing_customers", {
  companyId: text("company_id").primaryKey(),
  stripeCustomerId: text("stripe_customer_id").notNull().unique(),
  paymentMethodId: text("payment_method_id"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const orderKinds = ["on_demand", "bundle", "plan", "plan_renewal", "plan_upgrade", "auto_refill"] as const;
export type OrderKind = (typeof orderKinds)[number];
export const orderStatuses = ["pending", "paid", "failed", "expired", "reversed"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * Every purchase of credits: what was bought, at what price, with which
 * Stripe objects, and how it ended. Checkout purchases and auto-refills are
 * created pending; plan periods (renewals, upgrades) are created from their
 * invoice, keyed by it. `depositId` is the wallet deposit that credited it.
 */
export const creditOrders = sqliteTable(
  "credit_orders",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull(),
    kind: text("kind", { enum: orderKinds }).notNull(),
    /** The bundle or plan bought, if any, and its name then (the deposit's reason says it, whatever the catalogue says later). */
    catalogueId: text("catalogue_id"),
    catalogueName: text("catalogue_name"),
    /** Micro-credits paid for. */
    credits: integer("credits").notNull(),
    /** Micro-credits given on top. */
    bonusCredits: integer("bonus_credits").notNull().default(0),
    priceCents: integer("price_cents").notNull(),
    discountBps: integer("discount_bps").notNull().default(0),
    /** Micro-dollars per credit the price was computed at (recorded on the deposit too). */
    usdPerCredit: integer("usd_per_credit").notNull(),
    status: text("status", { enum: orderStatuses }).notNull(),
    stripeCheckoutSessionId: text("stripe_checkout_session_id"),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    stripeInvoiceId: text("stripe_invoice_id"),
    depositId: text("deposit_id"),
    /** Auto-refill: payment attempts made. */
    attempts: integer("attempts").notNull().default(0),
    failureReason: text("failure_reason"),
    /** Credits taken back after a refund or dispute; `reversalShortfall` could not be (already spent). */
    reversedCredits: integer("reversed_credits"),
    reversalShortfall: integer("reversal_shortfall"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    paidAt: integer("paid_at"),
  },
  (t) => [
    index("credit_orders_company_time").on(t.companyId, t.createdAt),
    uniqueIndex("credit_orders_invoice").on(t.stripeInvoiceId),
    index("credit_orders_payment_intent").on(t.stripePaymentIntentId),
    index("credit_orders_session").on(t.stripeCheckoutSessionId),
  ],
);

export const reversalReasons = ["refunded", "disputed"] as const;

/**
 * Refunds and disputes Stripe reported, one per PaymentIntent (the first
 * report wins; a refund and a dispute of one payment reverse it once).
 * Recorded whatever the order of events: Stripe does not order them and never
 * redelivers after a 2xx, so a refund that arrives before its payment waits
 * here and is applied when the payment lands (`applied_at`).
 */
export const paymentReversals = sqliteTable("payment_reversals", {
  paymentIntentId: text("payment_intent_id").primaryKey(),
  reason: text("reason", { enum: reversalReasons }).notNull(),
  /** The charge or dispute Stripe reported it with. */
  stripeObjectId: text("stripe_object_id"),
  /** The order it reversed, once applied. */
  orderId: text("order_id"),
  appliedAt: integer("applied_at"),
  createdAt: integer("created_at").notNull(),
});

/**
 * A company's plan subscription as Tessera sees it. `planId` is the plan in
 * force for the period paid for; a downgrade waits in `scheduledPlanId` until
 * the next period's invoice is paid. Status and period follow Stripe.
 */
export const billingSubscriptions = sqliteTable(
  "billing_subscriptions",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull(),
    planId: text("plan_id").notNull(),
    scheduledPlanId: text("scheduled_plan_id"),
    status: text("status").notNull(),
    stripeItemId: text("stripe_item_id"),
    /** Epoch ms. */
    currentPeriodStart: integer("current_period_start"),
    currentPeriodEnd: integer("current_period_end"),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    orderId: text("order_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("billing_subscriptions_company").on(t.companyId)],
);

/** Stripe Prices made for plans, by lookup key (`tessera:<plan>:<cents>`), so each is created once. */
export const stripePrices = sqliteTable("stripe_prices", {
  lookupKey: text("lookup_key").primaryKey(),
  stripePriceId: text("stripe_price_id").notNull().unique(),
  catalogueId: text("catalogue_id").notNull(),
  unitAmountCents: integer("unit_amount_cents").notNull(),
  usdPerCredit: integer("usd_per_credit").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Auto-refill: below `thresholdCredits` available, charge the saved card for `refillCredits` or a bundle. */
export const autoRefillSettings = sqliteTable("auto_refill_settings", {
  companyId: text("company_id").primaryKey(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
  thresholdCredits: integer("threshold_credits").notNull(),
  refillCredits: integer("refill_credits"),
  refillBundleId: text("refill_bundle_id"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastFailureReason: text("last_failure_reason"),
  lastFailureAt: integer("last_failure_at"),
  /** Why auto-refill turned itself off (after repeated failures), until the company turns it on again. */
  disabledReason: text("disabled_reason"),
  lastRefillAt: integer("last_refill_at"),
  updatedAt: integer("updated_at").notNull(),
});

/** Where a company wants its low-balance alerts, and the secret they are signed with. */
export const lowBalanceAlertSettings = sqliteTable("low_balance_alert_settings", {
  companyId: text("company_id").primaryKey(),
  webhookUrl: text("webhook_url").notNull(),
  signingSecret: text("signing_secret").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const alertStatuses = ["pending", "delivered", "failed"] as const;

/** Each low-balance alert, one per crossing, and how its delivery went. */
export const lowBalanceAlerts = sqliteTable(
  "low_balance_alerts",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull(),
    thresholdCredits: integer("threshold_credits").notNull(),
    availableCredits: integer("available_credits").notNull(),
    url: text("url").notNull(),
    status: text("status", { enum: alertStatuses }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    httpStatus: integer("http_status"),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [index("low_balance_alerts_company_time").on(t.companyId, t.createdAt)],
);
