import { now } from "../clock.ts";
import { cardDeclined, invalidRequest, noSuch } from "../errors.ts";
import { newId } from "../ids.ts";
import { newestFirst, page } from "../list.ts";
import { optionalEnum, optionalString } from "../params.ts";
import type { Platform, RequestRef } from "../platform.ts";
import { api } from "../router.ts";
import type { InvoiceLineItemWire, InvoicePaymentWire, InvoiceWire, PriceWire, SubscriptionWire } from "../types.ts";
import { getCustomer } from "./customers.ts";
import { charge } from "./payment-intents.ts";

export type BillingReason = "subscription_create" | "subscription_cycle" | "subscription_update";

const descriptions: Record<BillingReason, string> = {
  subscription_create: "Subscription creation",
  subscription_cycle: "Subscription cycle",
  subscription_update: "Subscription update",
};

/** One line of a subscription invoice: a period of an item's price, or a proration of it. */
export function subscriptionLine(input: {
  subscription: SubscriptionWire;
  item: string;
  price: PriceWire;
  quantity: number;
  amount: number;
  period: { start: number; end: number };
  proration?: boolean;
  description: string;
}): InvoiceLineItemWire {
  const { subscription, price, proration = false } = input;
  const invoiceItem = proration ? newId("ii_") : null;
  return {
    id: newId("il_"),
    object: "line_item",
    amount: input.amount,
    currency: price.currency,
    description: input.description,
    discount_amounts: [],
    discountable: !proration,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    parent: proration
      ? {
          type: "invoice_item_details",
          invoice_item_details: { invoice_item: invoiceItem!, proration: true, proration_details: { credited_items: null }, subscription: subscription.id },
          subscription_item_details: null,
        }
      : {
          type: "subscription_item_details",
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false,
            proration_details: { credited_items: null },
            subscription: subscription.id,
            subscription_item: input.item,
          },
        },
    period: input.period,
    pretax_credit_amounts: [],
    pricing: {
      type: "price_details",
      price_details: { price: price.id, product: price.product as string },
      unit_amount_decimal: price.unit_amount_decimal,
    },
    quantity: input.quantity,
    quantity_decimal: String(input.quantity),
    subscription: subscription.id,
    subtotal: input.amount,
    taxes: [],
  };
}

/**
 * A finalized (open) subscription invoice. A customer credit balance (from a
 * downgrade proration) is applied first; a negative total becomes credit.
 */
export function createInvoice(
  platform: Platform,
  input: {
    subscription: SubscriptionWire;
    billingReason: BillingReason;
    lines: InvoiceLineItemWire[];
    period: { start: number; end: number };
  },
): InvoiceWire {
  const { subscription } = input;
  const customer = getCustomer(platform, subscription.customer as string);
  const id = newId("in_");
  const total = input.lines.reduce((sum, line) => sum + line.amount, 0);
  const startingBalance = customer.balance;
  const amountDue = Math.max(0, total + startingBalance);
  customer.balance = Math.min(0, total + startingBalance);
  const number = `${customer.invoice_prefix}-${String(customer.next_invoice_sequence ?? 1).padStart(4, "0")}`;
  customer.next_invoice_sequence = (customer.next_invoice_sequence ?? 1) + 1;
  const created = now();
  const invoice: InvoiceWire = {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "Tessera (local)",
    account_tax_ids: null,
    amount_due: amountDue,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: amountDue,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: input.billingReason,
    collection_method: "charge_automatically",
    created,
    currency: subscription.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: created,
    ending_balance: customer.balance,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `${platform.baseUrl}/invoices/${id}`,
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: "list",
      data: input.lines.map((line) => ({ ...line, invoice: id })),
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: amountDue > 0 ? created : null,
    number,
    on_behalf_of: null,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.period.end,
    period_start: input.period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: startingBalance,
    statement_descriptor: null,
    status: "open",
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: created,
    subscription: subscription.id,
    payment_intent: null,
  };
  platform.invoices.set(id, invoice);
  return invoice;
}

/**
 * Charges an open invoice with the subscription's (or customer's) default
 * card. Emits invoice.paid, or invoice.payment_failed when the card declines.
 */
export function payInvoice(platform: Platform, invoice: InvoiceWire, request?: RequestRef): boolean {
  if (invoice.status === "paid") return true;
  if (invoice.amount_due === 0) {
    markPaid(invoice);
    platform.emit("invoice.paid", invoice, { request });
    return true;
  }
  const subscription = invoice.subscription ? platform.subscriptions.get(invoice.subscription) : undefined;
  const customer = getCustomer(platform, invoice.customer as string);
  const paymentMethod =
    (subscription?.default_payment_method as string | null) ?? (customer.invoice_settings.default_payment_method as string | null);
  invoice.attempted = true;
  invoice.attempt_count += 1;
  if (!paymentMethod) {
    invoice.next_payment_attempt = now() + 3 * 86_400;
    platform.emit("invoice.payment_failed", invoice, { request });
    return false;
  }
  const intent = charge(platform, {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: customer.id,
    paymentMethod,
    description: descriptions[invoice.billing_reason as BillingReason] ?? null,
    request,
  });
  const paid = intent.status === "succeeded";
  recordPayment(platform, invoice, intent.id, paid);
  invoice.payment_intent = intent.id;
  if (paid) {
    markPaid(invoice);
    platform.emit("invoice.paid", invoice, { request });
  } else {
    invoice.next_payment_attempt = now() + 3 * 86_400;
    platform.emit("invoice.payment_failed", invoice, { request });
  }
  return paid;
}

function markPaid(invoice: InvoiceWire): void {
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = now();
}

function recordPayment(platform: Platform, invoice: InvoiceWire, paymentIntent: string, paid: boolean): void {
  const payments = platform.invoicePayments.get(invoice.id) ?? [];
  for (const payment of payments) payment.is_default = false;
  const payment: InvoicePaymentWire = {
    id: newId("inpay_"),
    object: "invoice_payment",
    amount_paid: paid ? invoice.amount_due : null,
    amount_requested: invoice.amount_due,
    created: now(),
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: paymentIntent },
    status: paid ? "paid" : "open",
    status_transitions: { canceled_at: null, paid_at: paid ? now() : null },
  };
  platform.invoicePayments.set(invoice.id, [...payments, payment]);
}

export function getInvoice(platform: Platform, id: string): InvoiceWire {
  const invoice = platform.invoices.get(id);
  if (!invoice) throw noSuch("invoice", id);
  return invoice;
}

export const invoiceRoutes = [
  api("GET", "/v1/invoices/:id", ({ platform, params }) => getInvoice(platform, params.id!)),
  api("GET", "/v1/invoices", ({ platform, body }) => {
    const subscription = optionalString(body, "subscription");
    const customer = optionalString(body, "customer");
    const status = optionalEnum(body, "status", ["draft", "open", "paid", "uncollectible", "void"] as const);
    const invoices = [...platform.invoices.values()].filter(
      (invoice) =>
        (!subscription || invoice.subscription === subscription) &&
        (!customer || invoice.customer === customer) &&
        (!status || invoice.status === status),
    );
    return page(newestFirst(invoices), "/v1/invoices", body);
  }),
  /** Retries an open invoice now (after the customer fixed their card). */
  api("POST", "/v1/invoices/:id/pay", ({ platform, params, request }) => {
    const invoice = getInvoice(platform, params.id!);
    if (invoice.status !== "open") throw invalidRequest(`Invoice is already ${invoice.status}.`, { code: "invoice_not_editable" });
    if (!payInvoice(platform, invoice, request)) {
      throw cardDeclined({ payment_intent: platform.paymentIntents.get(invoice.payment_intent ?? "") });
    }
    const subscription = invoice.subscription ? platform.subscriptions.get(invoice.subscription) : undefined;
    if (subscription && subscription.status === "past_due") {
      subscription.status = "active";
      platform.emit("customer.subscription.updated", subscription, { previous: { status: "past_due" }, request });
    }
    return invoice;
  }),
];
