import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { TesseraError } from "../../src/errors";
import { verifyWebhook } from "../../src/stripe";
import { localStripe } from "./harness";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

async function signed(payload: string, timestamp: number, secret = env.STRIPE_WEBHOOK_SECRET): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider });
}

async function paidCheckout() {
  const local = localStripe();
  const customer = await local.stripe.customers.create({ email: "buyer@example.com", metadata: { company: "co_1" } });
  const session = await local.stripe.checkout.sessions.create({
    mode: "payment",
    customer: customer.id,
    client_reference_id: "order_1",
    metadata: { order: "order_1" },
    payment_intent_data: { metadata: { order: "order_1" } },
    line_items: [{ quantity: 2, price_data: { currency: "usd", unit_amount: 1250, product_data: { name: "100 credits" } } }],
    success_url: "https://tessera.test/ok?session={CHECKOUT_SESSION_ID}",
    cancel_url: "https://tessera.test/cancel",
  });
  return { local, customer, session };
}

describe("webhook signatures", () => {
  it("accepts a delivery signed by the local server and returns the event", async () => {
    const { local, session } = await paidCheckout();
    await local.control(`/checkout/sessions/${session.id}/complete`);
    const delivery = await local.delivery("checkout.session.completed", session.id);

    const event = await verifyWebhook(env, delivery.payload, delivery.signature);

    expect(event.id).toBe(delivery.id);
    expect(event.type).toBe("checkout.session.completed");
    const completed = event.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({
      id: session.id,
      status: "complete",
      payment_status: "paid",
      client_reference_id: "order_1",
      metadata: { order: "order_1" },
      amount_total: 2500,
    });
    expect(completed.payment_intent).toMatch(/^pi_/);
  });

  it("rejects a tampered payload", async () => {
    const { local, session } = await paidCheckout();
    await local.control(`/checkout/sessions/${session.id}/complete`);
    const delivery = await local.delivery("checkout.session.completed", session.id);
    const tampered = delivery.payload.replace('"amount_total": 2500', '"amount_total": 999999');
    expect(tampered).not.toBe(delivery.payload);

    const error = await verifyWebhook(env, tampered, delivery.signature).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TesseraError);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("rejects a stale signature, even with the right secret", async () => {
    const payload = JSON.stringify({ id: "evt_stale", object: "event", type: "invoice.paid" });
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    await expect(verifyWebhook(env, payload, await signed(payload, tenMinutesAgo))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The same payload signed now passes, so the timestamp alone made the difference.
    await expect(verifyWebhook(env, payload, await signed(payload, Math.floor(Date.now() / 1000)))).resolves.toMatchObject({ id: "evt_stale" });
  });

  it("rejects a signature made with another secret, and a missing header", async () => {
    const payload = JSON.stringify({ id: "evt_forged", object: "event", type: "invoice.paid" });
    const forged = await signed(payload, Math.floor(Date.now() / 1000), "whsec_attacker");
    await expect(verifyWebhook(env, payload, forged)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(verifyWebhook(env, payload, null)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(verifyWebhook(env, payload, "t=1,v1=deadbeef")).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
