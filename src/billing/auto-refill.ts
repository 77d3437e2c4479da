/**
 * Auto-refill (third source document): when a company's available credits
 * drop below its threshold, Tessera charges its saved card off-session once
 * and deposits the credits when the payment succeeds.
 *
 * Once per crossing, with no storms: the wallet records the crossing in the
 * same transaction as the debit that caused it (src/wallet/crossings.ts), so
 * however many debits race, one of them crosses; the refill runs from the
 * wallet's alarm, off the metered path. The refill's order id derives from
 * the crossing (`ord_refill_<company>_<n>`) and each payment attempt carries
 * an idempotency key, so a redelivered crossing never charges twice.
 *
 * Failures: each declined attempt is recorded on the order and on the
 * settings (surfaced by billing.autoRefill.get), and retried after 1 minute,
 * then 5 minutes. After 3 consecutive failed attempts auto-refill turns
 * itself off (`disabledReason`) until the company turns it on again.
 * A success resets the count.
 */
import { and, desc, eq, ne } from "drizzle-orm";
import Stripe from "stripe";
import { autoRefillSettings, creditOrders } from "../db/schema";
import { TesseraError } from "../errors";
import { MICRO, toDecimalNumber, type Credits } from "../money";
import { currentRate } from "../rates";
import { stripeClient } from "../stripe";
import { wallet } from "../wallet/client";
import type { Crossing } from "../wallet/crossings";
import type { CrossingOutcome } from "./crossing";
import { totalCredits } from "./catalogue";
import type { Services } from "../services";
import { findCustomer } from "./customers";
import { creditOrder, failOrder, findOrder, insertOrder, updateOrder, type Order } from "./orders";
import { wholeCredits } from "./pricing";
import { orderColumns, resolveOrderTerms, type OrderRequest } from "./order-terms";

export const MAX_CONSECUTIVE_FAILURES = 3;
/** Wait after the 1st and 2nd failed attempt; the 3rd turns auto-refill off. */
export const RETRY_BACKOFF_MS = [60_000, 5 * 60_000];

export type AutoRefillSettings = typeof autoRefillSettings.$inferSelect;

export interface AutoRefillInput {
  enabled: boolean;
  /** Micro-credits. */
  thresholdCredits: Credits;
  /** Whole credits per refill (at least 10), or a bundle. */
  refillCredits?: number | undefined;
  refillBundle?: string | undefined;
}

export async function findAutoRefill(ctx: Services, companyId: string): Promise<AutoRefillSettings | undefined> {
  return ctx.db.query.autoRefillSettings.findFirst({ where: eq(autoRefillSettings.companyId, companyId) });
}

/**
 * Saves the settings and arms (or disarms) the wallet's watch. Turning it on
 * needs a card saved by an earlier card order, and clears the failure count.
 */
export async function setAutoRefill(ctx: Services, companyId: string, input: AutoRefillInput): Promise<AutoRefillSettings> {
  if ((input.refillCredits === undefined) === (input.refillBundle === undefined)) {
    throw new TesseraError("BAD_REQUEST", "Give either refillCredits or refillBundle.");
  }
  // Checked the same way a checkout is: at least 10 whole credits, or a bundle that exists.
  const rate = await currentRate(ctx.db);
  await resolveOrderTerms(ctx.db, rate, refillRequest(input.refillBundle, input.refillCredits));
  if (input.enabled) {
    const customer = await findCustomer(ctx, companyId);
    if (!customer?.paymentMethodId) {
      throw new TesseraError("BAD_REQUEST", "Auto-refill charges the card saved when credits were last bought by card; buy credits by card once first.");
    }
  }
  const row = {
    companyId,
    enabled: input.enabled,
    thresholdCredits: input.thresholdCredits,
    refillCredits: input.refillCredits === undefined ? null : wholeCredits(input.refillCredits),
    refillBundleId: input.refillBundle ?? null,
    updatedAt: Date.now(),
    ...(input.enabled ? { consecutiveFailures: 0, disabledReason: null } : {}),
  };
  await ctx.db.insert(autoRefillSettings).values(row).onConflictDoUpdate({ target: autoRefillSettings.companyId, set: row });
  await ctx.wallet(companyId).watch("auto_refill", input.enabled ? input.thresholdCredits : null);
  return (await findAutoRefill(ctx, companyId))!;
}

/** The last refills, newest first, for the status view. */
export async function recentRefills(ctx: Services, companyId: string, limit = 10): Promise<Order[]> {
  return ctx.db
    .select()
    .from(creditOrders)
    .where(and(eq(creditOrders.companyId, companyId), eq(creditOrders.kind, "auto_refill")))
    .orderBy(desc(creditOrders.createdAt))
    .limit(limit);
}

/** Called by the crossings consumer for each `auto_refill` crossing (and each retry of one). */
export async function runAutoRefill(ctx: Services, crossing: Crossing): Promise<CrossingOutcome> {
  const settings = await findAutoRefill(ctx, crossing.companyId);
  const orderId = `ord_refill_${crossing.id.replaceAll(":", "_")}`;
  let order = await findOrder(ctx.db, orderId);
  if (order && order.status !== "pending") return;
  if (!settings?.enabled) {
    if (order) await failOrder(ctx.db, order.id, "Auto-refill was turned off.");
    return;
  }
  if (!order) {
    if (await refillUnderway(ctx, crossing.companyId)) return;
    const { available } = await ctx.wallet(crossing.companyId).balance();
    // Topped up meanwhile (a top-up, a grant): nothing to do for this crossing.
    if (available >= settings.thresholdCredits) return;
    order = await newRefillOrder(ctx, settings, orderId);
  }
  return attemptRefill(ctx, settings, order);
}

/** What a refill buys: the bundle when one is set, else that many whole credits on demand. */
function refillRequest(bundle: string | null | undefined, wholeCredits: number | undefined): OrderRequest {
  return bundle != null ? { kind: "bundle", bundle } : { kind: "on_demand", credits: wholeCredits };
}

/** Another crossing's refill still being tried: one refill at a time. */
async function refillUnderway(ctx: Services, companyId: string): Promise<boolean> {
  const pending = await ctx.db.query.creditOrders.findFirst({
    where: and(eq(creditOrders.companyId, companyId), eq(creditOrders.kind, "auto_refill"), eq(creditOrders.status, "pending")),
  });
  return pending !== undefined;
}

async function newRefillOrder(ctx: Services, settings: AutoRefillSettings, orderId: string): Promise<Order> {
  const rate = await currentRate(ctx.db);
  const terms = await resolveOrderTerms(ctx.db, rate, refillRequest(settings.refillBundleId, (settings.refillCredits ?? 0) / MICRO));
  const now = Date.now();
  await insertOrder(ctx.db, {
    id: orderId,
    companyId: settings.companyId,
    kind: "auto_refill",
    ...orderColumns(terms),
    usdPerCredit: rate.usdPerCredit,
    status: "pending",
    createdAt: now,
    updatedAt: now,
  });
  return (await findOrder(ctx.db, orderId))!;
}

async function attemptRefill(ctx: Services, settings: AutoRefillSettings, order: Order): Promise<CrossingOutcome> {
  const stripe = ctx.stripe;
  if (order.stripePaymentIntentId) {
    // The last attempt may have been paid before something failed on our side: credit it, never charge twice.
    const last = await stripe.paymentIntents.retrieve(order.stripePaymentIntentId);
    if (last.status === "succeeded") return refilled(ctx, order, last.id);
  }
  const attempt = order.attempts + 1;
  const customer = await findCustomer(ctx, order.companyId);
  let intent: Stripe.PaymentIntent | undefined;
  let failure: string | null = null;
  if (!customer?.paymentMethodId) {
    failure = "No saved card to charge.";
  } else {
    try {
      intent = await stripe.paymentIntents.create(
        {
          amount: order.priceCents,
          currency: "usd",
          customer: customer.stripeCustomerId,
          payment_method: customer.paymentMethodId,
          off_session: true,
          confirm: true,
          description: `Tessera auto-refill (${order.id})`,
          metadata: { order_id: order.id, company_id: order.companyId, kind: "auto_refill" },
        },
        { idempotencyKey: `tessera-${order.id}-attempt-${attempt}` },
      );
      if (intent.status !== "succeeded") failure = `The payment needs the buyer (status ${intent.status}).`;
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeError)) throw error;
      intent = (error as { payment_intent?: Stripe.PaymentIntent }).payment_intent ?? undefined;
      failure = error.message;
    }
  }
  await updateOrder(ctx.db, order.id, { attempts: attempt, ...(intent ? { stripePaymentIntentId: intent.id } : {}) });

  if (!failure && intent) return refilled(ctx, order, intent.id);
  return recordFailure(ctx, settings, order, failure ?? "The payment failed.");
}

async function refilled(ctx: Services, order: Order, paymentIntentId: string): Promise<CrossingOutcome> {
  await creditOrder(ctx, order, paymentIntentId, { stripePaymentIntentId: paymentIntentId });
  await ctx.db
    .update(autoRefillSettings)
    .set({ consecutiveFailures: 0, lastFailureReason: null, lastRefillAt: Date.now(), updatedAt: Date.now() })
    .where(eq(autoRefillSettings.companyId, order.companyId));
}

async function recordFailure(ctx: Services, settings: AutoRefillSettings, order: Order, reason: string): Promise<CrossingOutcome> {
  const now = Date.now();
  // Read again: the count is the settings' own, across refills.
  const failures = ((await findAutoRefill(ctx, settings.companyId))?.consecutiveFailures ?? 0) + 1;
  const disable = failures >= MAX_CONSECUTIVE_FAILURES;
  await ctx.db
    .update(autoRefillSettings)
    .set({
      consecutiveFailures: failures,
      lastFailureReason: reason,
      lastFailureAt: now,
      updatedAt: now,
      ...(disable ? { enabled: false, disabledReason: `Turned off after ${failures} failed payments in a row: ${reason}` } : {}),
    })
    .where(and(eq(autoRefillSettings.companyId, settings.companyId), ne(autoRefillSettings.enabled, false)));
  if (disable) {
    await failOrder(ctx.db, order.id, reason);
    await ctx.wallet(settings.companyId).watch("auto_refill", null);
    return;
  }
  const wait = RETRY_BACKOFF_MS[Math.min(failures, RETRY_BACKOFF_MS.length) - 1]!;
  await updateOrder(ctx.db, order.id, { failureReason: `${reason} Retrying in ${wait / 1000} s.` });
  return { retryAt: now + wait };
}

export function autoRefillView(settings: AutoRefillSettings | undefined, refills: Order[]) {
  return {
    enabled: settings?.enabled ?? false,
    thresholdCredits: settings ? toDecimalNumber(settings.thresholdCredits) : null,
    refillCredits: settings?.refillCredits == null ? null : toDecimalNumber(settings.refillCredits),
    refillBundle: settings?.refillBundleId ?? null,
    consecutiveFailures: settings?.consecutiveFailures ?? 0,
    lastFailureReason: settings?.lastFailureReason ?? null,
    lastFailureAt: settings?.lastFailureAt ?? null,
    disabledReason: settings?.disabledReason ?? null,
    lastRefillAt: settings?.lastRefillAt ?? null,
    recentRefills: refills.map((order) => ({
      orderId: order.id,
      status: order.status,
      credits: toDecimalNumber(totalCredits(order)),
      priceCents: order.priceCents,
      attempts: order.attempts,
      failureReason: order.failureReason,
      createdAt: order.createdAt,
      paidAt: order.paidAt,
    })),
  };
}
