import { addInterval, now } from "../clock.ts";
import { invalidRequest, noSuch } from "../errors.ts";
import { newId } from "../ids.ts";
import { newestFirst, page } from "../list.ts";
import { optionalString } from "../params.ts";
import { changedFields, type Platform, type RequestRef } from "../platform.ts";
import { api } from "../router.ts";
import type { InvoiceLineItemWire, InvoiceWire, PriceWire, SubscriptionItemWire, SubscriptionWire } from "../types.ts";
import { createInvoice, payInvoice, subscriptionLine } from "./invoices.ts";
import { intervalOf, planOf } from "./prices.ts";

export interface ItemInput {
  price: PriceWire;
  quantity: number;
}

/**
 * A subscription as Checkout creates it: active, its first period starting now,
 * with a `subscription_create` invoice charged to `defaultPaymentMethod`.
 * Emits customer.subscription.created, then the invoice's events.
 */
export function createSubscription(
  platform: Platform,
  input: { customer: string; items: ItemInput[]; metadata: Record<string, string>; defaultPaymentMethod: string; request?: RequestRef },
): { subscription: SubscriptionWire; invoice: InvoiceWire } {
  const first = input.items[0]!.price;
  const { interval, count } = intervalOf(first);
  const start = now();
  const end = addInterval(start, interval, count);
  const id = newId("sub_");
  const subscription: SubscriptionWire = {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: start,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: start,
    currency: first.currency,
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: "self" } },
    items: { object: "list", data: [], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: start,
    status: "active",
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
    trial_start: null,
    current_period_start: start,
    current_period_end: end,
  };
  subscription.items.data = input.items.map((item) => newItem(subscription, item));
  platform.subscriptions.set(id, subscription);

  const invoice = createInvoice(platform, {
    subscription,
    billingReason: "subscription_create",
    lines: periodLines(platform, subscription),
    period: { start, end: start },
  });
  subscription.latest_invoice = invoice.id;
  platform.emit("customer.subscription.created", subscription, { request: input.request });
  payInvoice(platform, invoice, input.request);
  return { subscription, invoice };
}

export function newItem(subscription: SubscriptionWire, { price, quantity }: ItemInput): SubscriptionItemWire {
  return {
    id: newId("si_", 14),
    object: "subscription_item",
    billing_thresholds: null,
    created: now(),
    current_period_end: subscription.current_period_end,
    current_period_start: subscription.current_period_start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(price),
    price: structuredClone(price),
    quantity,
    subscription: subscription.id,
    tax_rates: [],
  };
}

/** One full-period line per item, for the current period. */
function periodLines(platform: Platform, subscription: SubscriptionWire): InvoiceLineItemWire[] {
  const period = { start: subscription.current_period_start, end: subscription.current_period_end };
  return subscription.items.data.map((item) => {
    const quantity = item.quantity ?? 1;
    return subscriptionLine({
      subscription,
      item: item.id,
      price: item.price,
      quantity,
      amount: (item.price.unit_amount ?? 0) * quantity,
      period,
      description: `${quantity} × ${productName(platform, item.price)} (at ${formatMoney(item.price)} / ${item.price.recurring?.interval})`,
    });
  });
}

export function productName(platform: Platform, price: PriceWire): string {
  return platform.products.get(price.product as string)?.name ?? price.nickname ?? price.id;
}

function formatMoney(price: PriceWire): string {
  return `$${((price.unit_amount ?? 0) / 100).toFixed(2)}`;
}

export function getSubscription(platform: Platform, id: string): SubscriptionWire {
  const subscription = platform.subscriptions.get(id);
  if (!subscription) throw noSuch("subscription", id);
  return subscription;
}

function cancelSubscription(platform: Platform, id: string, request: RequestRef): SubscriptionWire {
  const subscription = getSubscription(platform, id);
  if (subscription.status === "canceled") throw invalidRequest(`The subscription ${id} is already canceled.`);
  const at = now();
  subscription.status = "canceled";
  subscription.canceled_at = at;
  subscription.ended_at = at;
  subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: "cancellation_requested" };
  platform.pendingProrations.delete(id);
  platform.emit("customer.subscription.deleted", subscription, { request });
  return subscription;
}

/**
 * Test control: moves a subscription to its next period, as Stripe's clock
 * would. Ends it when it was set to cancel at period end; otherwise bills the
 * new period (`subscription_cycle`, plus any pending prorations) and charges it.
 * A declined card leaves the invoice open and the subscription past_due.
 */
export function advanceSubscription(platform: Platform, id: string): SubscriptionWire {
  const subscription = getSubscription(platform, id);
  if (subscription.status === "canceled") throw invalidRequest(`The subscription ${id} is canceled.`);
  if (subscription.cancel_at_period_end) {
    subscription.status = "canceled";
    subscription.ended_at = subscription.current_period_end;
    subscription.canceled_at ??= now();
    platform.pendingProrations.delete(id);
    platform.emit("customer.subscription.deleted", subscription);
    return subscription;
  }
  const before = structuredClone(subscription);
  const { interval, count } = intervalOf(subscription.items.data[0]!.price);
  const start = subscription.current_period_end;
  const end = addInterval(start, interval, count);
  subscription.current_period_start = start;
  subscription.current_period_end = end;
  for (const item of subscription.items.data) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
  const lines = [...periodLines(platform, subscription), ...(platform.pendingProrations.get(id) ?? [])];
  platform.pendingProrations.delete(id);
  const invoice = createInvoice(platform, {
    subscription,
    billingReason: "subscription_cycle",
    lines,
    period: { start: before.current_period_start, end: before.current_period_end },
  });
  subscription.latest_invoice = invoice.id;
  const paid = payInvoice(platform, invoice);
  subscription.status = paid ? "active" : "past_due";
  platform.emit("customer.subscription.updated", subscription, { previous: changedFields(before, subscription) });
  return subscription;
}

export const subscriptionRoutes = [
  api("GET", "/v1/subscriptions/:id", ({ platform, params }) => getSubscription(platform, params.id!)),
  api("GET", "/v1/subscriptions", ({ platform, body }) => {
    const customer = optionalString(body, "customer");
    const status = optionalString(body, "status");
    const subscriptions = [...platform.subscriptions.values()].filter(
      (subscription) =>
        (!customer || subscription.customer === customer) &&
        (status === "all" || (status ? subscription.status === status : subscription.status !== "canceled")),
    );
    return page(newestFirst(subscriptions), "/v1/subscriptions", body);
  }),
  api("DELETE", "/v1/subscriptions/:id", ({ platform, params, request }) => cancelSubscription(platform, params.id!, request)),
];
