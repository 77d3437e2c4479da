/**
 * Managing a plan (first source document): an upgrade takes effect at once,
 * a downgrade at the next billing cycle, a cancel stops renewal and keeps
 * every credit.
 *
 * - Upgrade: the subscription's Price is swapped with `always_invoice`
 *   proration, so Stripe charges the prorated difference now, and
 *   `error_if_incomplete`, so a declined card refuses the change (nothing
 *   charged, nothing changed). The credit difference arrives with that
 *   invoice's `invoice.paid` (invoices.ts).
 * - Downgrade: the Price is swapped with no proration: the period already
 *   paid keeps its plan and credits, and the next renewal invoice bills and
 *   credits the lower plan. Tessera shows it as a scheduled change until then.
 *   Choosing the current plan again takes the scheduled downgrade back.
 * - Cancel: `cancel_at_period_end`; Stripe ends the subscription when the
 *   period ends (`customer.subscription.deleted`). Credits are never touched.
 *   `resumePlan` undoes a cancel before the period ends.
 * Switching between monthly and annual is a cancel and a new checkout.
 */
import type Stripe from "stripe";
import { TesseraError } from "../errors";
import { currentRate } from "../rates";
import { stripeCall, stripeClient } from "../stripe";
import { getPlan, itemPriceCents, type Plan } from "./catalogue";
import type { Services } from "../services";
import { ensurePlanPrice } from "./prices";
import { liveSubscription, syncSubscription, updateSubscriptionRow, type SubscriptionRow } from "./subscriptions";

async function requirePlan(ctx: Services, companyId: string): Promise<SubscriptionRow> {
  const row = await liveSubscription(ctx.db, companyId);
  if (!row) throw new TesseraError("NOT_FOUND", "The company has no plan. Subscribe with billing.checkout({ kind: \"plan\" }).");
  return row;
}

async function swapPrice(
  ctx: Services,
  row: SubscriptionRow,
  priceId: string,
  params: Pick<Stripe.SubscriptionUpdateParams, "proration_behavior" | "payment_behavior">,
  metadata: Record<string, string>,
): Promise<Stripe.Subscription> {
  if (!row.stripeItemId) throw new TesseraError("CONFLICT", "The subscription has no item to change yet; try again in a moment.");
  const subscription = await stripeCall("change the plan", () =>
    ctx.stripe.subscriptions.update(row.id, { items: [{ id: row.stripeItemId!, price: priceId }], metadata, ...params }),
  );
  await syncSubscription(ctx, subscription);
  return subscription;
}

export async function changePlan(ctx: Services, companyId: string, targetId: string): Promise<SubscriptionRow> {
  const row = await requirePlan(ctx, companyId);
  const target = await getPlan(ctx.db, targetId);
  const current = await getPlan(ctx.db, row.planId, { activeOnly: false });
  if (row.cancelAtPeriodEnd) {
    throw new TesseraError("CONFLICT", "The plan is set to end with this period; resume it (billing.resumePlan) before changing it.");
  }
  if (target.interval !== current.interval) {
    throw new TesseraError(
      "BAD_REQUEST",
      `The ${current.id} plan is billed every ${current.interval}; to switch to a plan billed every ${target.interval}, cancel and subscribe again.`,
    );
  }
  const rate = await currentRate(ctx.db);
  const price = (plan: Plan) => ensurePlanPrice(ctx, plan, rate.usdPerCredit);

  if (target.id === current.id) {
    if (!row.scheduledPlanId) throw new TesseraError("CONFLICT", `The company is already on the ${target.id} plan.`);
    // Taking back a scheduled downgrade: the current plan's Price again, nothing to bill.
    await swapPrice(ctx, row, (await price(current)).stripePriceId, { proration_behavior: "none" }, { plan_id: current.id });
    await updateSubscriptionRow(ctx.db, row.id, { scheduledPlanId: null });
    return (await liveSubscription(ctx.db, companyId))!;
  }

  if (itemPriceCents(target, rate.usdPerCredit) > itemPriceCents(current, rate.usdPerCredit)) {
    if (row.scheduledPlanId) {
      // Undo the pending downgrade first, so the proration starts from the plan actually paid for.
      await swapPrice(ctx, row, (await price(current)).stripePriceId, { proration_behavior: "none" }, { plan_id: current.id });
    }
    await swapPrice(
      ctx,
      row,
      (await price(target)).stripePriceId,
      { proration_behavior: "always_invoice", payment_behavior: "error_if_incomplete" },
      { plan_id: target.id },
    );
    await updateSubscriptionRow(ctx.db, row.id, { planId: target.id, scheduledPlanId: null });
  } else {
    await swapPrice(ctx, row, (await price(target)).stripePriceId, { proration_behavior: "none" }, { plan_id: target.id });
    await updateSubscriptionRow(ctx.db, row.id, { scheduledPlanId: target.id });
  }
  return (await liveSubscription(ctx.db, companyId))!;
}

export async function cancelPlan(ctx: Services, companyId: string): Promise<SubscriptionRow> {
  return setCancelAtPeriodEnd(ctx, companyId, true);
}

export async function resumePlan(ctx: Services, companyId: string): Promise<SubscriptionRow> {
  return setCancelAtPeriodEnd(ctx, companyId, false);
}

async function setCancelAtPeriodEnd(ctx: Services, companyId: string, cancel: boolean): Promise<SubscriptionRow> {
  const row = await requirePlan(ctx, companyId);
  if (row.cancelAtPeriodEnd === cancel) {
    throw new TesseraError("CONFLICT", cancel ? "The plan is already set to end with this period." : "The plan is not set to end.");
  }
  const subscription = await stripeCall(cancel ? "cancel the plan" : "resume the plan", () =>
    ctx.stripe.subscriptions.update(row.id, { cancel_at_period_end: cancel }),
  );
  await syncSubscription(ctx, subscription);
  return (await liveSubscription(ctx.db, companyId))!;
}
