/**
 * The Stripe events billing handles. Every handler is idempotent and order
 * independent: credits move only through `creditOrder` (orders.ts), whose
 * deposit id is the paying Stripe object's, and statuses only move forward.
 *
 * - checkout.session.completed / async_payment_succeeded: payment mode credits
 *   the order once paid (`stripe:<payment intent>`); subscription mode syncs
 *   the subscription and credits its first invoice if paid (`stripe:<invoice>`).
 * - payment_intent.succeeded: the twin of a completed payment checkout, and
 *   the confirmation of an auto-refill; same deposit id, so it credits once.
 * - invoice.paid: a plan period or an upgrade (invoices.ts).
 * - payment_intent.payment_failed, invoice.payment_failed,
 *   checkout.session.async_payment_failed, checkout.session.expired: the order
 *   is failed or expired (unless already paid); nothing is credited.
 * - customer.subscription.created/updated/deleted: the mirror re-reads Stripe.
 * - charge.refunded, charge.dispute.created: the order's credits are taken
 *   back, as many as are still unspent (reversals.ts); one that arrives before
 *   its payment is recorded and applied when the payment lands.
 */
import type Stripe from "stripe";
import type { OrderKind } from "../db/schema";
import { idOf, isMissing, stripeCall, stripeClient } from "../stripe";
import type { StripeHandler, StripeHandlers } from "../webhooks/types";
import type { Services } from "../services";
import { savePaymentMethod } from "./customers";
import { onInvoicePaid, onInvoicePaymentFailed } from "./invoices";
import { creditOrder, failOrder, findOrder, updateOrder, type Order } from "./orders";
import { reversePayment } from "./reversals";
import { syncSubscription } from "./subscriptions";

const paymentKinds: readonly OrderKind[] = ["on_demand", "bundle", "auto_refill"];

/** The order a Stripe object names in its metadata, if it is Tessera's and the company matches. */
async function orderOf(ctx: Services, metadata: Stripe.Metadata | null | undefined, companyId?: string | null): Promise<Order | undefined> {
  const orderId = metadata?.order_id;
  if (!orderId) return undefined;
  const order = await findOrder(ctx.db, orderId);
  if (!order) return undefined;
  const claimed = companyId ?? metadata?.company_id;
  if (claimed && claimed !== order.companyId) {
    console.warn(`stripe object names order ${orderId} of ${order.companyId} for ${claimed}; ignored`);
    return undefined;
  }
  return order;
}

/** Credits a one-off payment (checkout or auto-refill) once the full price arrived. */
async function creditPayment(ctx: Services, order: Order, paymentIntentId: string, amountCents: number, ids: Partial<Order> = {}) {
  if (!paymentKinds.includes(order.kind)) return;
  if (amountCents < order.priceCents) {
    console.warn(`order ${order.id}: paid ${amountCents} of ${order.priceCents} cents; not credited`);
    await failOrder(ctx.db, order.id, `Stripe reported ${amountCents} cents paid of ${order.priceCents}.`);
    return;
  }
  await creditOrder(ctx, order, paymentIntentId, { ...ids, stripePaymentIntentId: paymentIntentId });
}

async function checkoutCompleted(ctx: Services, session: Stripe.Checkout.Session): Promise<void> {
  const order = await orderOf(ctx, session.metadata, session.client_reference_id);
  if (!order) return;
  const stripe = ctx.stripe;
  if (session.mode === "payment") {
    const paymentIntentId = idOf(session.payment_intent);
    // Not yet paid (a delayed payment method): async_payment_succeeded comes later.
    if (session.payment_status !== "paid" || !paymentIntentId) return;
    await creditPayment(ctx, order, paymentIntentId, session.amount_total ?? 0, { stripeCheckoutSessionId: session.id });
    const intent = await stripeCall("read the payment", () => stripe.paymentIntents.retrieve(paymentIntentId));
    await savePaymentMethod(ctx, order.companyId, idOf(intent.payment_method));
    return;
  }
  if (session.mode === "subscription") {
    const subscriptionId = idOf(session.subscription);
    if (!subscriptionId) return;
    await updateOrder(ctx.db, order.id, { stripeCheckoutSessionId: session.id, stripeSubscriptionId: subscriptionId });
    const subscription = await stripeCall("read the subscription", () => stripe.subscriptions.retrieve(subscriptionId));
    await syncSubscription(ctx, subscription);
    await savePaymentMethod(ctx, order.companyId, idOf(subscription.default_payment_method));
    const invoiceId = idOf(session.invoice) ?? idOf(subscription.latest_invoice);
    if (invoiceId) {
      // With its payments, which onInvoicePaid needs to find the PaymentIntent.
      const invoice = await stripeCall("read the invoice", () => stripe.invoices.retrieve(invoiceId, { expand: ["payments"] }));
      await onInvoicePaid(ctx, invoice);
    }
  }
}

async function checkoutFailed(ctx: Services, session: Stripe.Checkout.Session): Promise<void> {
  const order = await orderOf(ctx, session.metadata, session.client_reference_id);
  if (order) await failOrder(ctx.db, order.id, "The payment failed.");
}

async function checkoutExpired(ctx: Services, session: Stripe.Checkout.Session): Promise<void> {
  const order = await orderOf(ctx, session.metadata, session.client_reference_id);
  if (order) await failOrder(ctx.db, order.id, "The checkout expired unpaid.", "expired");
}

async function paymentSucceeded(ctx: Services, intent: Stripe.PaymentIntent): Promise<void> {
  const order = await orderOf(ctx, intent.metadata);
  if (!order) return; // invoice payments and anything else not bought through an order
  await creditPayment(ctx, order, intent.id, intent.amount_received);
  if (intent.setup_future_usage === "off_session" || order.kind === "auto_refill") {
    await savePaymentMethod(ctx, order.companyId, idOf(intent.payment_method));
  }
}

async function paymentFailed(ctx: Services, intent: Stripe.PaymentIntent): Promise<void> {
  const order = await orderOf(ctx, intent.metadata);
  // Auto-refill records its own attempts (auto-refill.ts); a buyer at checkout may still retry.
  if (!order || order.kind === "auto_refill") return;
  await failOrder(ctx.db, order.id, intent.last_payment_error?.message ?? "The payment failed.");
}

async function subscriptionChanged(ctx: Services, subscription: Stripe.Subscription): Promise<void> {
  // Re-read, so an event delivered late cannot roll the mirror back to an older state.
  let fresh = subscription;
  try {
    fresh = await ctx.stripe.subscriptions.retrieve(subscription.id);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  await syncSubscription(ctx, fresh);
}

async function chargeRefunded(ctx: Services, charge: Stripe.Charge): Promise<void> {
  const paymentIntentId = idOf(charge.payment_intent);
  if (paymentIntentId && charge.refunded) await reversePayment(ctx, paymentIntentId, "refunded", charge.id);
}

async function disputeCreated(ctx: Services, dispute: Stripe.Dispute): Promise<void> {
  const paymentIntentId = idOf(dispute.payment_intent);
  if (paymentIntentId) await reversePayment(ctx, paymentIntentId, "disputed", dispute.id);
}

function on<T>(handle: (ctx: Services, object: T) => Promise<void>): StripeHandler {
  return (event, ctx) => handle(ctx, event.data.object as T);
}

export const billingHandlers: StripeHandlers = {
  "checkout.session.completed": on(checkoutCompleted),
  "checkout.session.async_payment_succeeded": on(checkoutCompleted),
  "checkout.session.async_payment_failed": on(checkoutFailed),
  "checkout.session.expired": on(checkoutExpired),
  "payment_intent.succeeded": on(paymentSucceeded),
  "payment_intent.payment_failed": on(paymentFailed),
  "invoice.paid": on(onInvoicePaid),
  "invoice.payment_failed": on(onInvoicePaymentFailed),
  "customer.subscription.created": on(subscriptionChanged),
  "customer.subscription.updated": on(subscriptionChanged),
  "customer.subscription.deleted": on(subscriptionChanged),
  "charge.refunded": on(chargeRefunded),
  "charge.dispute.created": on(disputeCreated),
};
