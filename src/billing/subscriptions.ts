/**
 * Tessera's mirror of each company's plan subscription. Stripe owns status,
 * period and cancellation; Tessera owns which plan the paid period is for
 * (`planId`) and a downgrade waiting for the next period (`scheduledPlanId`).
 * Webhook handlers re-read the subscription from Stripe before syncing, so
 * an old event arriving late cannot roll the mirror back.
 */
import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../db";
import { billingSubscriptions } from "../db/schema";
import { findItem } from "./catalogue";
import type { Services } from "../services";
import { companyOfCustomer } from "./customers";
import { planOfPrice } from "./prices";
import { idOf, stripeCall, stripeClient } from "../stripe";

export type SubscriptionRow = typeof billingSubscriptions.$inferSelect;

/** Stripe statuses in which a subscription still renews or may yet be paid. */
export const liveStatuses = ["active", "past_due", "trialing", "incomplete", "unpaid"];

/** The company's plan: the newest live subscription, one that renews before one set to end. */
export async function liveSubscription(db: Db, companyId: string): Promise<SubscriptionRow | undefined> {
  return db.query.billingSubscriptions.findFirst({
    where: and(eq(billingSubscriptions.companyId, companyId), inArray(billingSubscriptions.status, liveStatuses)),
    orderBy: [asc(billingSubscriptions.cancelAtPeriodEnd), desc(billingSubscriptions.createdAt)],
  });
}

export async function latestSubscription(db: Db, companyId: string): Promise<SubscriptionRow | undefined> {
  return db.query.billingSubscriptions.findFirst({
    where: eq(billingSubscriptions.companyId, companyId),
    orderBy: desc(billingSubscriptions.createdAt),
  });
}

export async function findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return db.query.billingSubscriptions.findFirst({ where: eq(billingSubscriptions.id, id) });
}

export async function updateSubscriptionRow(db: Db, id: string, patch: Partial<typeof billingSubscriptions.$inferInsert>): Promise<void> {
  await db.update(billingSubscriptions).set({ ...patch, updatedAt: Date.now() }).where(eq(billingSubscriptions.id, id));
}

/**
 * Copies Stripe's view of a subscription (status, period, cancellation) into
 * the mirror, creating the row the first time. The plan is set only on
 * creation; afterwards invoices and plan changes move it.
 */
export async function syncSubscription(ctx: Services, subscription: Stripe.Subscription): Promise<void> {
  const companyId = await companyOfCustomer(ctx, idOf(subscription.customer));
  if (!companyId) return;
  const item = subscription.items.data[0];
  const now = Date.now();
  const state = {
    status: subscription.status,
    stripeItemId: item?.id ?? null,
    currentPeriodStart: item ? item.current_period_start * 1000 : null,
    currentPeriodEnd: item ? item.current_period_end * 1000 : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    updatedAt: now,
  };
  const existing = await findSubscription(ctx.db, subscription.id);
  if (existing) {
    const ended = !liveStatuses.includes(subscription.status);
    await updateSubscriptionRow(ctx.db, subscription.id, { ...state, ...(ended ? { scheduledPlanId: null } : {}) });
    return;
  }
  const planId = item ? (await planOfPrice(ctx, item.price.id))?.plan.id : subscription.metadata?.plan_id;
  if (!planId) return;
  await ctx.db
    .insert(billingSubscriptions)
    .values({ id: subscription.id, companyId, planId, scheduledPlanId: null, orderId: subscription.metadata?.order_id ?? null, createdAt: now, ...state })
    .onConflictDoNothing();
  await endIfSecondPlan(ctx, subscription.id);
}

/**
 * A company has one plan. Two plan checkouts paid at nearly the same time
 * (each started before the other was paid) make a second subscription: its
 * paid period keeps its credits, but it is set to end with that period, so
 * the company is never billed for two plans again.
 */
async function endIfSecondPlan(ctx: Services, subscriptionId: string): Promise<void> {
  const row = await findSubscription(ctx.db, subscriptionId);
  if (!row || row.cancelAtPeriodEnd || !liveStatuses.includes(row.status)) return;
  const other = await ctx.db.query.billingSubscriptions.findFirst({
    where: and(
      eq(billingSubscriptions.companyId, row.companyId),
      ne(billingSubscriptions.id, row.id),
      inArray(billingSubscriptions.status, liveStatuses),
      eq(billingSubscriptions.cancelAtPeriodEnd, false),
    ),
  });
  const otherIsNewer = other && (other.createdAt > row.createdAt || (other.createdAt === row.createdAt && other.id > row.id));
  if (!other || otherIsNewer) return;
  const ended = await stripeCall("end the second plan", () =>
    ctx.stripe.subscriptions.update(row.id, { cancel_at_period_end: true }, { idempotencyKey: `second-plan:${row.id}` }),
  );
  await updateSubscriptionRow(ctx.db, row.id, { cancelAtPeriodEnd: ended.cancel_at_period_end });
}

/** How a company's plan reads in the API. */
export async function planView(db: Db, row: SubscriptionRow | undefined) {
  if (!row) return null;
  const [plan, scheduled] = await Promise.all([findItem(db, row.planId), row.scheduledPlanId ? findItem(db, row.scheduledPlanId) : undefined]);
  const planRef = (item: typeof plan, id: string) => ({ id, name: item?.name ?? id, interval: item?.interval ?? null });
  return {
    id: row.id,
    plan: planRef(plan, row.planId),
    status: row.status,
    currentPeriodStart: row.currentPeriodStart,
    currentPeriodEnd: row.currentPeriodEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    /** A downgrade that takes effect when the next period starts. */
    scheduledChange: row.scheduledPlanId ? { plan: planRef(scheduled, row.scheduledPlanId), at: row.currentPeriodEnd } : null,
  };
}
