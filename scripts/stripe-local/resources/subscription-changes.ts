// Changing a subscription: its items (upgrades, downgrades), cancel_at_period_end, metadata.
import { now } from "../clock.ts";
import { cardDeclined, invalidParam, invalidRequest } from "../errors.ts";
import type { FormObject } from "../form.ts";
import { mergeMetadata, objectArray, optionalBoolean, optionalEnum, optionalInteger, optionalString } from "../params.ts";
import { changedFields, type Platform, type RequestRef } from "../platform.ts";
import { api } from "../router.ts";
import type { InvoiceLineItemWire, InvoiceWire, PriceWire, SubscriptionWire } from "../types.ts";
import { createInvoice, payInvoice, subscriptionLine } from "./invoices.ts";
import { getPrice, intervalOf, planOf } from "./prices.ts";
import { getSubscription, type ItemInput, newItem, productName } from "./subscriptions.ts";

interface ItemChange {
  item: string;
  before?: ItemInput;
  after?: ItemInput;
}

/** Applies `items[...]` to a draft; returns what changed, for prorations. */
function applyItems(platform: Platform, draft: SubscriptionWire, entries: FormObject[]): ItemChange[] {
  const changes: ItemChange[] = [];
  entries.forEach((entry, index) => {
    const path = (key: string) => `items[${index}][${key}]`;
    const id = optionalString(entry, "id", path("id"));
    const priceId = optionalString(entry, "price", path("price"));
    const quantity = optionalInteger(entry, "quantity", path("quantity"));
    if (quantity !== undefined && quantity < 1) throw invalidParam(path("quantity"), "Quantity must be at least 1.");
    const price = priceId ? getPrice(platform, priceId, path("price")) : undefined;
    if (price) checkPrice(draft, price, path("price"));

    if (!id) {
      if (!price) throw invalidParam(path("price"), `Missing required param: ${path("price")}.`, "parameter_missing");
      const added = newItem(draft, { price, quantity: quantity ?? 1 });
      draft.items.data.push(added);
      changes.push({ item: added.id, after: { price, quantity: quantity ?? 1 } });
      return;
    }
    const item = draft.items.data.find((candidate) => candidate.id === id);
    if (!item) throw invalidParam(path("id"), `No such subscription item: '${id}'`, "resource_missing");
    const before = { price: item.price, quantity: item.quantity ?? 1 };
    if (optionalBoolean(entry, "deleted", path("deleted"))) {
      draft.items.data = draft.items.data.filter((candidate) => candidate.id !== id);
      changes.push({ item: id, before });
      return;
    }
    const after = { price: price ?? item.price, quantity: quantity ?? item.quantity ?? 1 };
    if (after.price.id === before.price.id && after.quantity === before.quantity) return;
    item.price = structuredClone(after.price);
    item.plan = planOf(after.price);
    item.quantity = after.quantity;
    changes.push({ item: id, before, after });
  });
  if (draft.items.data.length === 0) throw invalidParam("items", "A subscription needs at least one item.");
  return changes;
}

function checkPrice(subscription: SubscriptionWire, price: PriceWire, param: string): void {
  if (price.type !== "recurring") {
    throw invalidParam(param, "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.");
  }
  if (price.currency !== subscription.currency) {
    throw invalidParam(param, `The price's currency (${price.currency}) must match the subscription's (${subscription.currency}).`);
  }
  const current = intervalOf(subscription.items.data[0]!.price);
  const next = intervalOf(price);
  if (current.interval !== next.interval || current.count !== next.count) {
    // Stripe would reset the billing cycle; Tessera's plans share one interval, so the local server keeps it simple.
    throw invalidParam(param, "The local Stripe server does not support changing a subscription's billing interval.");
  }
}

/**
 * Proration for the rest of the current period: a credit for the unused time
 * of what was there, a charge for the remaining time of what replaces it.
 */
function prorationLines(platform: Platform, subscription: SubscriptionWire, changes: ItemChange[]): InvoiceLineItemWire[] {
  const start = subscription.current_period_start;
  const end = subscription.current_period_end;
  const at = Math.min(Math.max(now(), start), end);
  const share = (amount: number) => Math.round((amount * (end - at)) / (end - start));
  const period = { start: at, end };
  const date = new Date(at * 1000).toISOString().slice(0, 10);
  const lines: InvoiceLineItemWire[] = [];
  for (const change of changes) {
    if (change.before) {
      const { price, quantity } = change.before;
      lines.push(
        subscriptionLine({
          subscription, item: change.item, price, quantity, period, proration: true,
          amount: -share((price.unit_amount ?? 0) * quantity),
          description: `Unused time on ${quantity} × ${productName(platform, price)} after ${date}`,
        }),
      );
    }
    if (change.after) {
      const { price, quantity } = change.after;
      lines.push(
        subscriptionLine({
          subscription, item: change.item, price, quantity, period, proration: true,
          amount: share((price.unit_amount ?? 0) * quantity),
          description: `Remaining time on ${quantity} × ${productName(platform, price)} after ${date}`,
        }),
      );
    }
  }
  return lines;
}

/**
 * `proration_behavior`: `always_invoice` (upgrades) invoices and charges the
 * proration now; `create_prorations` (Stripe's default) carries it to the next
 * renewal invoice; `none` (downgrades) just changes the price from the next
 * period on. `payment_behavior=error_if_incomplete` refuses the change with a
 * 402 when the card declines; otherwise the change stands and the
 * subscription goes past_due.
 */
function updateSubscription(platform: Platform, id: string, body: FormObject, request: RequestRef): SubscriptionWire {
  const subscription = getSubscription(platform, id);
  if (subscription.status === "canceled") {
    throw invalidRequest("A canceled subscription can only update its cancellation_details and metadata.");
  }
  const draft = structuredClone(subscription);
  draft.metadata = mergeMetadata(draft.metadata, body);

  const cancelAtPeriodEnd = optionalBoolean(body, "cancel_at_period_end");
  if (cancelAtPeriodEnd !== undefined) {
    draft.cancel_at_period_end = cancelAtPeriodEnd;
    draft.cancel_at = cancelAtPeriodEnd ? draft.current_period_end : null;
    draft.canceled_at = cancelAtPeriodEnd ? now() : null;
    draft.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: cancelAtPeriodEnd ? "cancellation_requested" : null };
  }

  const defaultPaymentMethod = optionalString(body, "default_payment_method");
  if (defaultPaymentMethod) {
    if (platform.paymentMethods.get(defaultPaymentMethod)?.customer !== draft.customer) {
      throw invalidParam("default_payment_method", `No such PaymentMethod: '${defaultPaymentMethod}' attached to ${draft.customer}.`, "resource_missing");
    }
    draft.default_payment_method = defaultPaymentMethod;
  }

  const behavior = optionalEnum(body, "proration_behavior", ["always_invoice", "create_prorations", "none"] as const) ?? "create_prorations";
  const paymentBehavior =
    optionalEnum(body, "payment_behavior", ["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"] as const) ??
    "allow_incomplete";
  const entries = objectArray(body, "items");
  const changes = entries ? applyItems(platform, draft, entries) : [];
  const lines = changes.length > 0 && behavior !== "none" ? prorationLines(platform, draft, changes) : [];
  const due = lines.reduce((sum, line) => sum + line.amount, 0);

  if (behavior === "always_invoice" && due > 0 && paymentBehavior === "error_if_incomplete" && platform.decliningCustomers.has(draft.customer as string)) {
    throw cardDeclined();
  }

  platform.subscriptions.set(id, draft);
  if (behavior === "create_prorations" && lines.length > 0) {
    platform.pendingProrations.set(id, [...(platform.pendingProrations.get(id) ?? []), ...lines]);
  }
  let invoice: InvoiceWire | undefined;
  if (behavior === "always_invoice" && lines.length > 0) {
    invoice = createInvoice(platform, {
      subscription: draft,
      billingReason: "subscription_update",
      lines,
      period: { start: lines[0]!.period.start, end: draft.current_period_end },
    });
    draft.latest_invoice = invoice.id;
  }
  const previous = changedFields(subscription, draft);
  if (invoice) {
    const paid = payInvoice(platform, invoice, request);
    if (!paid) draft.status = "past_due";
  }
  if (draft.status !== subscription.status) previous.status = subscription.status;
  if (Object.keys(previous).length > 0) platform.emit("customer.subscription.updated", draft, { previous, request });
  return draft;
}

export const subscriptionChangeRoutes = [
  api("POST", "/v1/subscriptions/:id", ({ platform, params, body, request }) => updateSubscription(platform, params.id!, body, request)),
];
