import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { billingHandlers } from "../../src/billing/webhooks";
import { stripeHandlers } from "../../src/webhooks/handlers";
import { postToWorker } from "../stripe-local/harness";
import { checkoutPaid, deliver, deposits, one, signedEvent, stripe } from "./helpers";
import { h, available } from "../harness";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

describe("webhooks credit exactly once", () => {
  it("the same event delivered twice credits once", async () => {
    const b = await h.buyer();
    const { events } = await checkoutPaid(b.api, b.company.id, { kind: "on_demand", credits: 25 });
    const completed = one(events, "checkout.session.completed");
    await deliver([completed, completed]);
    // Stripe re-signs a retry; a fresh signature over the same event is still the same event.
    await deliver([await stripe.stripe.webhooks.generateTestHeaderStringAsync({ payload: completed.payload, secret: env.STRIPE_WEBHOOK_SECRET }).then((signature) => ({ ...completed, signature }))]);
    expect(await available(b.company.id)).toBe(25);
    expect(await deposits(b.company.id)).toHaveLength(1);
  });

  it("twins: checkout.session.completed and payment_intent.succeeded for one payment credit once, in either order", async () => {
    for (const order of ["session first", "intent first"] as const) {
      const b = await h.buyer();
      const { events } = await checkoutPaid(b.api, b.company.id, { kind: "bundle", bundle: "starter" });
      const session = one(events, "checkout.session.completed");
      const intent = one(events, "payment_intent.succeeded");
      await deliver(order === "session first" ? [session, intent] : [intent, session]);
      expect(await available(b.company.id), order).toBe(55);
      const [entry, ...more] = await deposits(b.company.id);
      expect(more, order).toEqual([]);
      expect(entry!.operationId).toBe(`stripe:${(JSON.parse(intent.payload).data.object as Stripe.PaymentIntent).id}`);
    }
  });

  it("plan events out of order (reversed, duplicated) credit the first period once", async () => {
    const b = await h.buyer();
    const { events, orderId } = await checkoutPaid(b.api, b.company.id, { kind: "plan", plan: "professional_monthly" });
    const reversed = [...events].reverse();
    await deliver([...reversed, ...events]);
    expect(await available(b.company.id)).toBe(575);
    expect(await deposits(b.company.id)).toHaveLength(1);
    expect(await b.api.billing.order.query({ id: orderId })).toMatchObject({ status: "paid", totalCredits: 575 });
    expect(await b.api.billing.plan.query()).toMatchObject({ plan: { id: "professional_monthly" }, status: "active" });
  });

  it("checkout.session.completed alone is enough for a plan (invoice.paid lost)", async () => {
    const b = await h.buyer();
    const { events } = await checkoutPaid(b.api, b.company.id, { kind: "plan", plan: "startup_monthly" });
    await deliver([one(events, "checkout.session.completed")]);
    expect(await available(b.company.id)).toBe(113);
    await deliver([one(events, "invoice.paid")]);
    expect(await available(b.company.id)).toBe(113);
  });
});

describe("webhook signatures", () => {
  it("a forged signature is 400 and credits nothing", async () => {
    const b = await h.buyer();
    const { events } = await checkoutPaid(b.api, b.company.id, { kind: "on_demand", credits: 30 });
    const completed = one(events, "checkout.session.completed");
    const forged = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: completed.payload, secret: "whsec_someone_else", cryptoProvider });
    const response = await postToWorker({ ...completed, signature: forged });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");

    const payload = completed.payload.replace('"amount_total": 1500', '"amount_total": 1');
    expect(payload).not.toBe(completed.payload);
    const tampered = await postToWorker({ ...completed, payload });
    expect(tampered.status).toBe(400);
    await tampered.arrayBuffer();
    expect(await available(b.company.id)).toBe(0);
  });

  it("a stale timestamp (older than 5 minutes) is 400 and credits nothing", async () => {
    const b = await h.buyer();
    const { events } = await checkoutPaid(b.api, b.company.id, { kind: "on_demand", credits: 30 });
    const completed = one(events, "checkout.session.completed");
    const stale = await Stripe.webhooks.generateTestHeaderStringAsync({
      payload: completed.payload,
      secret: env.STRIPE_WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 600,
      cryptoProvider,
    });
    const response = await postToWorker({ ...completed, signature: stale });
    expect(response.status).toBe(400);
    await response.arrayBuffer();
    expect(await available(b.company.id)).toBe(0);
    // The same event, signed now, goes through.
    await deliver([completed]);
    expect(await available(b.company.id)).toBe(30);
  });

  it("no signature header is 400", async () => {
    const response = await postToWorker({ id: "evt_1", type: "checkout.session.completed", payload: "{}", signature: "" });
    expect(response.status).toBe(400);
    await response.arrayBuffer();
  });

  it("an event type nobody handles is acknowledged with 200 and ignored", async () => {
    const event = await signedEvent("customer.tax_id.created", { id: "txi_1", object: "tax_id" });
    const response = await postToWorker(event);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, handled: false });
  });

  it("events about objects that are not Tessera's are acknowledged and change nothing", async () => {
    const foreign = await signedEvent("payment_intent.succeeded", {
      id: "pi_foreign",
      object: "payment_intent",
      amount_received: 100_000,
      metadata: { order_id: "ord_does_not_exist" },
    });
    const response = await postToWorker(foreign);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, handled: true });
  });
});

describe("the handler registry", () => {
  it("routes every billing event type to billing's handler (no area replaced another's)", () => {
    for (const [type, handler] of Object.entries(billingHandlers)) expect(stripeHandlers[type as Stripe.Event.Type], type).toBe(handler);
    expect(Object.keys(billingHandlers)).toEqual(
      expect.arrayContaining([
        "checkout.session.completed",
        "invoice.paid",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.payment_failed",
        "payment_intent.payment_failed",
      ]),
    );
  });
});
