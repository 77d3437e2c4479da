/**
 * Plan periods are credited when their invoice is paid, never before: the
 * deposit id is `stripe:<invoice id>`, so `invoice.paid` twice, or together
 * with the `checkout.session.completed` that carried the same invoice,
 * credits once. A failed invoice credits nothing.
 *
 * What an invoice is worth in credits comes from its lines, each line's
 * Stripe Price naming a plan:
 * - a period line (creation, renewal): the plan's credits plus bonus;
 * - proration lines (an upgrade, billed at once): the difference between the
 *   new plan's credits and the old one's, scaled by the share of the full
 *   price difference the invoice charged (an upgrade on day 1 of a month gets
 *   the whole difference; one a day before renewal, a sliver of it, as it
 *   pays a sliver). Rounded down to the micro-credit.
 */
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { creditOrders, type OrderKind } from "../db/schema";
import type { Credits } from "../money";
import { idOf, stripeCall, stripeClient } from "../stripe";
import { totalCredits } from "./catalogue";
import type { Services } from "../services";
import { companyOfCustomer } from "./customers";
import { creditOrder, failOrder, findOrder, updateOrder, type Order } from "./orders";
import { planOfPrice, type PlanPrice } from "./prices";
import { findSubscription, updateSubscriptionRow } from "./subscriptions";

export interface InvoiceCredits {
  /** The plan the invoice pays for (the new one, for an upgrade). */
  planPrice: PlanPrice;
  credits: Credits;
  bonusCredits: Credits;
}

export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  return idOf(invoice.parent?.subscription_details?.subscription) ?? (invoice as { subscription?: string | null }).subscription ?? null;
}

export async function invoiceCredits(ctx: Services, invoice: Stripe.Invoice): Promise<InvoiceCredits | undefined> {
  let periodPlan: PlanPrice | undefined;
  let newPlan: PlanPrice | undefined;
  let credits = 0;
  let bonus = 0;
  const diff = { credits: 0, bonus: 0, fullCents: 0, chargedCents: 0, any: false };
  for (const line of invoice.lines.data) {
    const priceId = idOf(line.pricing?.price_details?.price);
    const info = priceId ? await planOfPrice(ctx, priceId) : undefined;
    if (!info) continue;
    const quantity = line.quantity ?? 1;
    const proration = line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration ?? false;
    if (!proration) {
      periodPlan ??= info;
      credits += info.plan.credits * quantity;
      bonus += info.plan.bonusCredits * quantity;
      continue;
    }
    const sign = line.amount < 0 ? -1 : 1;
    if (sign > 0) newPlan ??= info;
    diff.any = true;
    diff.credits += sign * info.plan.credits * quantity;
    diff.bonus += sign * info.plan.bonusCredits * quantity;
    diff.fullCents += sign * info.unitAmountCents * quantity;
    diff.chargedCents += line.amount;
  }
  if (diff.any && diff.fullCents > 0 && diff.chargedCents > 0) {
    const charged = BigInt(Math.min(diff.chargedCents, diff.fullCents));
    const share = (n: number) => (n > 0 ? Number((BigInt(n) * charged) / BigInt(diff.fullCents)) : 0);
    credits += share(diff.credits);
    bonus += share(diff.bonus);
  }
  const planPrice = periodPlan ?? newPlan;
  if (!planPrice) return undefined;
  return { planPrice, credits: credits as Credits, bonusCredits: bonus as Credits };
}

function orderKindOf(invoice: Stripe.Invoice): OrderKind {
  if (invoice.billing_reason === "subscription_create") return "plan";
  if (invoice.billing_reason === "subscription_update") return "plan_upgrade";
  return "plan_renewal";
}

/**
 * The order an invoice pays: the checkout's own order for a subscription's
 * first invoice, otherwise one made from the invoice (`ord_<invoice id>`),
 * created once however many events mention it.
 */
async function orderForInvoice(
  ctx: Services,
  companyId: string,
  invoice: Stripe.Invoice,
  subscriptionId: string,
  worth: InvoiceCredits,
): Promise<Order> {
  const checkoutOrderId = invoice.parent?.subscription_details?.metadata?.order_id;
  if (invoice.billing_reason === "subscription_create" && checkoutOrderId) {
    const order = await findOrder(ctx.db, checkoutOrderId);
    if (order && order.companyId === companyId && order.kind === "plan") {
      if (!order.stripeInvoiceId) await updateOrder(ctx.db, order.id, { stripeInvoiceId: invoice.id, stripeSubscriptionId: subscriptionId });
      return order;
    }
  }
  const id = `ord_${invoice.id}`;
  const existing = await findOrder(ctx.db, id);
  if (existing) return existing;
  const now = Date.now();
  const { plan } = worth.planPrice;
  // Two events for the same invoice at once: whichever inserts first wins, the other reads it.
  await ctx.db
    .insert(creditOrders)
    .values({
      id,
      companyId,
      kind: orderKindOf(invoice),
      catalogueId: plan.id,
      catalogueName: plan.name,
      credits: worth.credits,
      bonusCredits: worth.bonusCredits,
      priceCents: invoice.total,
      discountBps: plan.discountBps,
      usdPerCredit: worth.planPrice.usdPerCredit,
      status: "pending",
      stripeSubscriptionId: subscriptionId,
      stripeInvoiceId: invoice.id,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const order = (await findOrder(ctx.db, id)) ?? (await ctx.db.query.creditOrders.findFirst({ where: eq(creditOrders.stripeInvoiceId, invoice.id) }));
  if (!order) throw new Error(`order for invoice ${invoice.id} vanished`);
  return order;
}

/** A plan invoice's order (made on first sight), its subscription and what it is worth; undefined for other invoices. */
async function invoiceOrder(ctx: Services, invoice: Stripe.Invoice): Promise<{ order: Order; subscriptionId: string; worth: InvoiceCredits } | undefined> {
  const companyId = await companyOfCustomer(ctx, idOf(invoice.customer));
  const subscriptionId = subscriptionOfInvoice(invoice);
  if (!companyId || !subscriptionId) return undefined;
  const worth = await invoiceCredits(ctx, invoice);
  if (!worth) return undefined;
  return { order: await orderForInvoice(ctx, companyId, invoice, subscriptionId, worth), subscriptionId, worth };
}

export async function onInvoicePaid(ctx: Services, invoice: Stripe.Invoice): Promise<void> {
  if (invoice.status !== "paid") return;
  const found = await invoiceOrder(ctx, invoice);
  if (!found) return;
  const { order, subscriptionId, worth } = found;
  const paymentIntent = await paymentIntentOf(ctx, invoice);
  const ids = { stripeInvoiceId: invoice.id, stripeSubscriptionId: subscriptionId, ...(paymentIntent ? { stripePaymentIntentId: paymentIntent } : {}) };
  if (totalCredits(order) > 0) {
    await creditOrder(ctx, order, invoice.id, ids);
  } else {
    await updateOrder(ctx.db, order.id, { ...ids, status: "paid", paidAt: Date.now() });
  }
  await movePlan(ctx, subscriptionId, invoice, worth);
}

/** The PaymentIntent that paid an invoice (kept on the order so a refund or dispute finds it). */
async function paymentIntentOf(ctx: Services, invoice: Stripe.Invoice): Promise<string | null> {
  const payments =
    invoice.payments?.data ??
    (await stripeCall("read the invoice's payments", () => ctx.stripe.invoices.retrieve(invoice.id, { expand: ["payments"] }))).payments
      ?.data ??
    [];
  const paid = payments.find((payment) => payment.status === "paid");
  return idOf(paid?.payment.payment_intent) ?? (invoice as { payment_intent?: string | null }).payment_intent ?? null;
}

/** A paid period or upgrade puts its plan in force; a downgrade that was waiting is now done. */
async function movePlan(ctx: Services, subscriptionId: string, invoice: Stripe.Invoice, worth: InvoiceCredits): Promise<void> {
  const row = await findSubscription(ctx.db, subscriptionId);
  if (!row) return;
  const planId = worth.planPrice.plan.id;
  if (invoice.billing_reason === "subscription_cycle") {
    await updateSubscriptionRow(ctx.db, subscriptionId, { planId, scheduledPlanId: row.scheduledPlanId === planId ? null : row.scheduledPlanId });
  } else if (invoice.billing_reason === "subscription_update" && row.planId !== planId) {
    await updateSubscriptionRow(ctx.db, subscriptionId, { planId, scheduledPlanId: null });
  }
}

export async function onInvoicePaymentFailed(ctx: Services, invoice: Stripe.Invoice): Promise<void> {
  const found = await invoiceOrder(ctx, invoice);
  if (found) await failOrder(ctx.db, found.order.id, "The card was declined; no credits until the invoice is paid.");
}
