import type Stripe from "stripe";

/**
 * An object as it travels on the wire. The SDK's types describe what it hands
 * its callers; on the wire a few fields differ (decimals are strings), so the
 * server builds `Wire<Stripe.X>` and the compiler checks that every field
 * Stripe sends is there, with Stripe's names.
 */
export type Wire<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends Stripe.Decimal
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type List<T> = { object: "list"; data: T[]; has_more: boolean; url: string };

export type CustomerWire = Wire<Stripe.Customer>;
export type PaymentMethodWire = Wire<Stripe.PaymentMethod>;
export type PaymentIntentWire = Wire<Stripe.PaymentIntent>;
export type SetupIntentWire = Wire<Stripe.SetupIntent>;
export type ProductWire = Wire<Stripe.Product>;
export type PriceWire = Wire<Stripe.Price>;
export type CheckoutSessionWire = Wire<Stripe.Checkout.Session>;
export type LineItemWire = Wire<Stripe.LineItem>;
/** Older API versions kept the period on the subscription; we send both. */
export type SubscriptionWire = Wire<Stripe.Subscription> & { current_period_start: number; current_period_end: number };
export type SubscriptionItemWire = Wire<Stripe.SubscriptionItem>;
/** Older API versions had `invoice.subscription` and `invoice.payment_intent`; we send both shapes. */
export type InvoiceWire = Wire<Stripe.Invoice> & { subscription: string | null; payment_intent: string | null };
export type InvoiceLineItemWire = Wire<Stripe.InvoiceLineItem>;
export type InvoicePaymentWire = Wire<Stripe.InvoicePayment>;
export type AccountWire = Wire<Stripe.Account>;
export type TransferWire = Wire<Stripe.Transfer>;
export type BalanceWire = Wire<Stripe.Balance>;
export type EventWire = {
  id: string;
  object: "event";
  account?: string;
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

/** Anything the server stores and can find by id. */
export type StoredObject = { id: string; object: string };
