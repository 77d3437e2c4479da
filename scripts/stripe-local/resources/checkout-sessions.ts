import { now } from "../clock.ts";
import { invalidParam, invalidRequest, missingParam, noSuch } from "../errors.ts";
import type { FormObject } from "../form.ts";
import { newId } from "../ids.ts";
import { listOf } from "../list.ts";
import {
  mergeMetadata,
  objectArray,
  optionalEnum,
  optionalObject,
  optionalString,
  requiredInteger,
} from "../params.ts";
import type { CheckoutOptions, Platform, RequestRef } from "../platform.ts";
import { api } from "../router.ts";
import type { CheckoutSessionWire, LineItemWire, PriceWire } from "../types.ts";
import { getCustomer } from "./customers.ts";
import { createPrice, getPrice } from "./prices.ts";

const modes = ["payment", "subscription", "setup"] as const;

/** `line_items[i]`: a stored `price` or inline `price_data`, and a quantity. */
function lineItems(platform: Platform, body: FormObject, mode: (typeof modes)[number]): LineItemWire[] {
  const entries = objectArray(body, "line_items") ?? [];
  if (mode === "setup") {
    if (entries.length > 0) throw invalidParam("line_items", "You cannot pass `line_items` in `setup` mode.");
    return [];
  }
  if (entries.length === 0) throw missingParam("line_items");
  return entries.map((entry, index) => {
    const path = (key: string) => `line_items[${index}][${key}]`;
    const priceId = optionalString(entry, "price", path("price"));
    const priceData = optionalObject(entry, "price_data", path("price_data"));
    if (priceId && priceData) throw invalidParam(path("price"), "You may only specify one of these parameters: price, price_data.");
    let price: PriceWire;
    if (priceId) price = getPrice(platform, priceId, path("price"));
    else if (priceData) price = createPrice(platform, priceData, `line_items[${index}][price_data]`);
    else throw missingParam(path("price"));
    const quantity = requiredInteger(entry, "quantity", path("quantity"));
    if (quantity < 1) throw invalidParam(path("quantity"), "Quantity must be at least 1.");
    if (mode === "payment" && price.type === "recurring") {
      throw invalidParam(path("price"), "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.");
    }
    if (mode === "subscription" && price.type !== "recurring") {
      throw invalidParam(path("price"), "The local Stripe server only supports recurring prices in `subscription` mode.");
    }
    const amount = (price.unit_amount ?? 0) * quantity;
    return {
      id: newId("li_"),
      object: "item",
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: price.currency,
      description: platform.products.get(price.product as string)?.name ?? null,
      metadata: {},
      price: structuredClone(price),
      quantity,
    };
  });
}

function checkoutOptions(body: FormObject, mode: (typeof modes)[number]): CheckoutOptions {
  const paymentIntentData = optionalObject(body, "payment_intent_data");
  const subscriptionData = optionalObject(body, "subscription_data");
  const setupIntentData = optionalObject(body, "setup_intent_data");
  if (paymentIntentData && mode !== "payment") throw invalidParam("payment_intent_data", `You can not pass \`payment_intent_data\` in \`${mode}\` mode.`);
  if (subscriptionData && mode !== "subscription") throw invalidParam("subscription_data", `You can not pass \`subscription_data\` in \`${mode}\` mode.`);
  if (setupIntentData && mode !== "setup") throw invalidParam("setup_intent_data", `You can not pass \`setup_intent_data\` in \`${mode}\` mode.`);
  return {
    paymentIntentMetadata: paymentIntentData ? mergeMetadata({}, paymentIntentData) : {},
    paymentIntentDescription: paymentIntentData ? (optionalString(paymentIntentData, "description", "payment_intent_data[description]") ?? null) : null,
    setupFutureUsage: paymentIntentData
      ? (optionalEnum(paymentIntentData, "setup_future_usage", ["off_session", "on_session"] as const, "payment_intent_data[setup_future_usage]") ?? null)
      : null,
    subscriptionMetadata: subscriptionData ? mergeMetadata({}, subscriptionData) : {},
    setupIntentMetadata: setupIntentData ? mergeMetadata({}, setupIntentData) : {},
  };
}

function createSession(platform: Platform, body: FormObject): CheckoutSessionWire {
  const mode = optionalEnum(body, "mode", modes);
  if (!mode) throw missingParam("mode");
  const customer = optionalString(body, "customer") ?? null;
  const customerEmail = optionalString(body, "customer_email") ?? null;
  if (customer && customerEmail) throw invalidParam("customer_email", "You may only specify one of these parameters: customer, customer_email.");
  if (customer) getCustomer(platform, customer, "customer");
  const customerCreation = optionalEnum(body, "customer_creation", ["always", "if_required"] as const) ?? null;
  if (customerCreation && mode !== "payment") throw invalidParam("customer_creation", "`customer_creation` can only be used in `payment` mode.");
  const options = checkoutOptions(body, mode);
  const items = lineItems(platform, body, mode);
  const currencies = new Set(items.map((item) => item.currency));
  if (currencies.size > 1) throw invalidParam("line_items", "All line items must use the same currency.");
  const currency = items[0]?.currency ?? optionalString(body, "currency")?.toLowerCase() ?? null;
  const total = items.reduce((sum, item) => sum + item.amount_total, 0);
  const created = now();
  const id = newId("cs_test_", 58);

  const session: CheckoutSessionWire = {
    id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: mode === "setup" ? null : total,
    amount_total: mode === "setup" ? null : total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: optionalString(body, "cancel_url") ?? null,
    client_reference_id: optionalString(body, "client_reference_id") ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer,
    customer_account: null,
    customer_creation: mode === "payment" ? (customerCreation ?? "if_required") : mode === "subscription" ? "always" : null,
    customer_details: null,
    customer_email: customerEmail,
    discounts: [],
    expires_at: created + 24 * 3600,
    integration_identifier: null,
    invoice: null,
    invoice_creation: mode === "payment" ? { enabled: false, invoice_data: emptyInvoiceData() } : null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: mergeMetadata({}, body),
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: mode === "subscription" ? "always" : null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card"],
    payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: optionalString(body, "success_url") ?? null,
    total_details: mode === "setup" ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: `${platform.baseUrl}/checkout/${id}`,
    wallet_options: null,
  };
  platform.checkoutSessions.set(id, session);
  platform.checkoutLineItems.set(id, items);
  platform.checkoutOptions.set(id, options);
  return session;
}

function emptyInvoiceData(): NonNullable<CheckoutSessionWire["invoice_creation"]>["invoice_data"] {
  return { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: null, rendering_options: null };
}

/** Closes an open session for good: no URL, and checkout.session.expired. */
export function expireSession(platform: Platform, session: CheckoutSessionWire, request?: RequestRef): CheckoutSessionWire {
  session.status = "expired";
  session.url = null;
  platform.emit("checkout.session.expired", session, request ? { request } : {});
  return session;
}

export function getSession(platform: Platform, id: string): CheckoutSessionWire {
  const session = platform.checkoutSessions.get(id);
  if (!session) throw noSuch("checkout.session", id);
  return session;
}

export const checkoutSessionRoutes = [
  api("POST", "/v1/checkout/sessions", ({ platform, body }) => createSession(platform, body)),
  api("GET", "/v1/checkout/sessions/:id", ({ platform, params }) => getSession(platform, params.id!)),
  api("GET", "/v1/checkout/sessions/:id/line_items", ({ platform, params }) => {
    const session = getSession(platform, params.id!);
    return listOf(platform.checkoutLineItems.get(session.id) ?? [], `/v1/checkout/sessions/${session.id}/line_items`);
  }),
  api("POST", "/v1/checkout/sessions/:id/expire", ({ platform, params, request }) => {
    const session = getSession(platform, params.id!);
    if (session.status !== "open") throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
    return expireSession(platform, session, request);
  }),
];
