import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { stripeClient } from "../../src/stripe";
import { localStripe } from "./harness";

/** A customer with a card saved by a completed payment-mode Checkout, made the default. */
async function customerWithCard() {
  const local = localStripe();
  const customer = await local.stripe.customers.create({ email: "refill@example.com" });
  const session = await local.stripe.checkout.sessions.create({
    mode: "payment",
    customer: customer.id,
    line_items: [{ quantity: 1, price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "40 credits" } } }],
    payment_intent_data: { setup_future_usage: "off_session" },
    success_url: "https://tessera.test/ok",
  });
  await local.control(`/checkout/sessions/${session.id}/complete`);
  const completed = await local.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
  const paymentMethod = (completed.payment_intent as Stripe.PaymentIntent).payment_method as string;
  await local.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: paymentMethod } });
  await local.drain({ for: customer.id });
  return { local, customer, paymentMethod };
}

const refill = (customer: string, paymentMethod: string) => ({
  amount: 2500,
  currency: "usd",
  customer,
  payment_method: paymentMethod,
  confirm: true,
  off_session: true,
  metadata: { company: "co_1", reason: "auto_refill" },
});

describe("off-session payment intents (auto-refill)", () => {
  it("succeeds with the saved card and emits payment_intent.succeeded", async () => {
    const { local, customer, paymentMethod } = await customerWithCard();
    const saved = await local.stripe.customers.retrieve(customer.id);
    expect((saved as Stripe.Customer).invoice_settings.default_payment_method).toBe(paymentMethod);

    const intent = await local.stripe.paymentIntents.create(refill(customer.id, paymentMethod));
    expect(intent).toMatchObject({ status: "succeeded", amount: 2500, amount_received: 2500, customer: customer.id, livemode: false });
    expect(intent.id).toMatch(/^pi_/);
    const [delivery] = await local.drain({ for: intent.id, type: "payment_intent.succeeded" });
    expect(JSON.parse(delivery!.payload).data.object.metadata).toEqual({ company: "co_1", reason: "auto_refill" });
    expect((await local.stripe.paymentIntents.retrieve(intent.id)).status).toBe("succeeded");
  });

  it("throws StripeCardError card_declined when the card is marked to fail, and emits payment_failed", async () => {
    const { local, customer, paymentMethod } = await customerWithCard();
    await local.control(`/customers/${customer.id}/card`, { outcome: "decline" });

    const error = await local.stripe.paymentIntents.create(refill(customer.id, paymentMethod)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardError = error as Stripe.errors.StripeCardError;
    expect(cardError).toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "generic_decline" });
    expect(cardError.payment_intent?.status).toBe("requires_payment_method");
    const failed = await local.drain({ for: customer.id, type: "payment_intent.payment_failed" });
    expect(failed).toHaveLength(1);

    await local.control(`/customers/${customer.id}/card`, { outcome: "succeed" });
    await expect(local.stripe.paymentIntents.create(refill(customer.id, paymentMethod))).resolves.toMatchObject({ status: "succeeded" });
  });

  it("refuses another customer's card and amounts under $0.50", async () => {
    const { local, paymentMethod } = await customerWithCard();
    const stranger = await local.stripe.customers.create({ email: "stranger@example.com" });
    await expect(local.stripe.paymentIntents.create(refill(stranger.id, paymentMethod))).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    await expect(local.stripe.customers.update(stranger.id, { invoice_settings: { default_payment_method: paymentMethod } })).rejects.toMatchObject({
      param: "invoice_settings[default_payment_method]",
    });
    const { customer } = await customerWithCard();
    await expect(local.stripe.paymentIntents.create({ ...refill(customer.id, paymentMethod), amount: 49 })).rejects.toMatchObject({
      code: "amount_too_small",
    });
  });
});

describe("Stripe's REST conventions", () => {
  it("answers 401 (StripeAuthenticationError) for a missing or non-test key", async () => {
    const live = stripeClient({ STRIPE_API_BASE: env.STRIPE_API_BASE, STRIPE_SECRET_KEY: "sk_live_nope" });
    await expect(live.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const response = await fetch(`${env.STRIPE_API_BASE}/v1/customers`, { method: "POST" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("keeps each secret key's objects apart", async () => {
    const mine = localStripe();
    const theirs = localStripe();
    const customer = await mine.stripe.customers.create({ email: "mine@example.com" });
    await expect(theirs.stripe.customers.retrieve(customer.id)).rejects.toMatchObject({ statusCode: 404, code: "resource_missing" });
  });

  it("replays the first response for a repeated Idempotency-Key and refuses it with other parameters", async () => {
    const local = localStripe();
    const key = crypto.randomUUID();
    const first = await local.stripe.customers.create({ email: "once@example.com" }, { idempotencyKey: key });
    const again = await local.stripe.customers.create({ email: "once@example.com" }, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    // With the fetch HTTP client, lastResponse is the fetch Response itself.
    expect((again.lastResponse as unknown as Response).headers.get("idempotent-replayed")).toBe("true");
    await expect(local.stripe.customers.create({ email: "other@example.com" }, { idempotencyKey: key })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it("decodes bracket notation, merges metadata and expands ids", async () => {
    const local = localStripe();
    const customer = await local.stripe.customers.create({ metadata: { a: "1", b: "2" } });
    const updated = await local.stripe.customers.update(customer.id, { metadata: { b: "", c: "3" } });
    expect(updated.metadata).toEqual({ a: "1", c: "3" });
    const session = await local.stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [
        { quantity: 1, price_data: { currency: "usd", unit_amount: 500, product_data: { name: "A" } } },
        { quantity: 3, price_data: { currency: "usd", unit_amount: 100, product_data: { name: "B" } } },
      ],
      expand: ["line_items", "customer"],
    });
    expect(session.amount_total).toBe(800);
    expect(session.line_items?.data.map((item) => [item.description, item.quantity])).toEqual([["A", 1], ["B", 3]]);
    expect((session.customer as Stripe.Customer).id).toBe(customer.id);
    await expect(local.stripe.customers.retrieve(customer.id, { expand: ["nonsense"] })).rejects.toMatchObject({ param: "expand" });
  });

  it("fails the next requests to a path on demand (StripeAPIError), then recovers", async () => {
    const local = localStripe();
    await local.control("/faults", { path: "/v1/customers", method: "POST", count: "1", error: "api_error" });
    await expect(local.stripe.customers.create({}, { maxNetworkRetries: 0 })).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    await expect(local.stripe.customers.create({}, { maxNetworkRetries: 0 })).resolves.toMatchObject({ object: "customer" });
  });

  it("lists and retrieves events, newest first", async () => {
    const local = localStripe();
    const customer = await local.stripe.customers.create({ email: "events@example.com" });
    await local.stripe.customers.update(customer.id, { name: "Events" });
    const events = await local.stripe.events.list({ limit: 10 });
    expect(events.data.map((event) => event.type)).toEqual(["customer.updated", "customer.created"]);
    expect(events.data[0]!.data.previous_attributes).toEqual({ name: null });
    expect((await local.stripe.events.retrieve(events.data[1]!.id)).type).toBe("customer.created");
    const page = await local.stripe.events.list({ limit: 1 });
    expect(page).toMatchObject({ object: "list", has_more: true, url: "/v1/events" });
  });
});
