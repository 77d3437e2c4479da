import { env } from "cloudflare:workers";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import type { Credits } from "../../src/money";
import { wallet } from "../../src/wallet/client";
import { sale } from "../wallet/helpers";
import { postToWorker } from "../stripe-local/harness";
import { buy, checkoutPaid, deliver, deposits, one, signedEvent, stripe } from "./helpers";
import { h, available, client, expectCode } from "../harness";

async function nothingBought(companyId: string) {
  const orders = await env.DB.prepare("SELECT count(*) AS n FROM credit_orders WHERE company_id = ?").bind(companyId).first<{ n: number }>();
  const customers = await env.DB.prepare("SELECT count(*) AS n FROM billing_customers WHERE company_id = ?").bind(companyId).first<{ n: number }>();
  expect(orders!.n).toBe(0);
  expect(customers!.n).toBe(0);
  expect(await available(companyId)).toBe(0);
}

describe("bad checkout input: a clear error, nothing created, nothing charged", () => {
  it("on-demand needs a whole number of credits from 10", async () => {
    const b = await h.buyer();
    for (const credits of [9, 0, -10, 10.5, 1_000_001]) {
      await expectCode(b.api.billing.checkout.mutate({ kind: "on_demand", credits }), "INVALID_AMOUNT");
    }
    await expectCode(b.api.billing.checkout.mutate({ kind: "on_demand" }), "INVALID_AMOUNT");
    await nothingBought(b.company.id);
  });

  it("unknown bundles and plans are NOT_FOUND; a missing name or kind is BAD_REQUEST", async () => {
    const b = await h.buyer();
    await expectCode(b.api.billing.checkout.mutate({ kind: "bundle", bundle: "mega" }), "NOT_FOUND");
    await expectCode(b.api.billing.checkout.mutate({ kind: "bundle", bundle: "startup_monthly" }), "NOT_FOUND");
    await expectCode(b.api.billing.checkout.mutate({ kind: "plan", plan: "platinum_monthly" }), "NOT_FOUND");
    await expectCode(b.api.billing.checkout.mutate({ kind: "plan", plan: "starter" }), "NOT_FOUND");
    await expectCode(b.api.billing.checkout.mutate({ kind: "bundle" }), "BAD_REQUEST");
    await expectCode(b.api.billing.checkout.mutate({ kind: "plan" }), "BAD_REQUEST");
    await expectCode(b.api.billing.checkout.mutate({ kind: "gift" as never, credits: 20 }), "BAD_REQUEST");
    await nothingBought(b.company.id);
  });
});

describe("keys and companies", () => {
  it("buying needs a full key; reading needs a key", async () => {
    const b = await h.buyer();
    const readKey = await b.api.keys.create.mutate({ name: "reader", scope: "read" });
    const reader = client(readKey.secret);
    await expectCode(reader.billing.checkout.mutate({ kind: "on_demand", credits: 20 }), "FORBIDDEN");
    await expectCode(reader.billing.changePlan.mutate({ plan: "startup_monthly" }), "FORBIDDEN");
    await expectCode(reader.billing.autoRefill.set.mutate({ enabled: false, thresholdCredits: 5, refillCredits: 10 }), "FORBIDDEN");
    await expectCode(reader.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: null }), "FORBIDDEN");
    expect(await reader.billing.orders.query()).toEqual({ items: [], nextCursor: null });
    await expectCode(client().billing.checkout.mutate({ kind: "on_demand", credits: 20 }), "UNAUTHORIZED");
    await expectCode(client().billing.orders.query(), "UNAUTHORIZED");
    await nothingBought(b.company.id);
    // The catalogue is public.
    expect((await client().billing.catalogue.query()).bundles).toHaveLength(3);
  });

  it("another company's order is NOT_FOUND, and paying a checkout credits only the company that started it", async () => {
    const a = await h.buyer({ name: "Company A" });
    const b = await h.buyer({ name: "Company B" });
    const { orderId, sessionId, events } = await checkoutPaid(a.api, a.company.id, { kind: "on_demand", credits: 20 });
    await expectCode(b.api.billing.order.query({ id: orderId }), "NOT_FOUND");
    expect((await b.api.billing.orders.query()).items).toEqual([]);
    await deliver(events);
    expect(await available(a.company.id)).toBe(20);
    expect(await available(b.company.id)).toBe(0);
    expect((await stripe.stripe.checkout.sessions.retrieve(sessionId)).client_reference_id).toBe(a.company.id);
  });

  it("an event naming one company's order for another company is ignored", async () => {
    const a = await h.buyer({ name: "Company A" });
    const b = await h.buyer({ name: "Company B" });
    const { orderId, events } = await checkoutPaid(a.api, a.company.id, { kind: "on_demand", credits: 20 });
    const session = JSON.parse(one(events, "checkout.session.completed").payload).data.object as Stripe.Checkout.Session;
    const crossed = await signedEvent("checkout.session.completed", { ...session, client_reference_id: b.company.id });
    const response = await postToWorker(crossed);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(await available(a.company.id)).toBe(0);
    expect(await available(b.company.id)).toBe(0);
    expect((await a.api.billing.order.query({ id: orderId })).status).toBe("pending");
  });

  it("a payment short of the order's price credits nothing", async () => {
    const b = await h.buyer();
    const { orderId, events } = await checkoutPaid(b.api, b.company.id, { kind: "on_demand", credits: 20 });
    const intent = JSON.parse(one(events, "payment_intent.succeeded").payload).data.object as Stripe.PaymentIntent;
    await deliver([await signedEvent("payment_intent.succeeded", { ...intent, amount_received: 999 })]);
    expect(await available(b.company.id)).toBe(0);
    expect(await b.api.billing.order.query({ id: orderId })).toMatchObject({ status: "failed" });
    // The real, full payment still credits.
    await deliver(events);
    expect(await available(b.company.id)).toBe(20);
  });
});

describe("failed and reversed payments never leave unpaid credits", () => {
  it("a declined checkout card credits nothing and fails the order; paying later credits", async () => {
    const b = await h.buyer();
    const { url, orderId } = await b.api.billing.checkout.mutate({ kind: "bundle", bundle: "starter" });
    const sessionId = new URL(url).pathname.split("/").pop()!;
    await expect(stripe.control(`/checkout/sessions/${sessionId}/fail`)).rejects.toThrow(/402/);
    const customer = (await stripe.stripe.checkout.sessions.retrieve(sessionId)).customer as string;
    await deliver(await stripe.drain({ for: customer }));
    expect(await available(b.company.id)).toBe(0);
    expect(await b.api.billing.order.query({ id: orderId })).toMatchObject({ status: "failed" });

    await stripe.control(`/checkout/sessions/${sessionId}/complete`);
    await deliver(await stripe.drain({ for: customer }));
    expect(await available(b.company.id)).toBe(55);
    expect(await b.api.billing.order.query({ id: orderId })).toMatchObject({ status: "paid" });
  });

  it("an expired checkout expires its order", async () => {
    const b = await h.buyer();
    const { url, orderId } = await b.api.billing.checkout.mutate({ kind: "on_demand", credits: 10 });
    const sessionId = new URL(url).pathname.split("/").pop()!;
    await stripe.stripe.checkout.sessions.expire(sessionId);
    await deliver(await stripe.drain({ for: sessionId }));
    expect(await b.api.billing.order.query({ id: orderId })).toMatchObject({ status: "expired" });
  });

  it("a refund or dispute takes the credits back, as many as are unspent, once", async () => {
    const b = await h.buyer();
    const { orderId } = await buy(b.api, b.company.id, { kind: "bundle", bundle: "professional" });
    const order = await b.api.billing.order.query({ id: orderId });
    const charge = { id: "ch_refunded", object: "charge", payment_intent: order.stripe.paymentIntent, refunded: true, amount: 12_500, amount_refunded: 12_500 };
    const refunded = await signedEvent("charge.refunded", charge);
    await deliver([refunded, refunded]);
    expect(await available(b.company.id)).toBe(0);
    expect(await b.api.billing.order.query({ id: orderId })).toMatchObject({ status: "reversed", reversedCredits: 282 });

    // Partly spent before the dispute: what is left is taken, the rest recorded as a shortfall.
    const c = await h.buyer();
    const second = await buy(c.api, c.company.id, { kind: "on_demand", credits: 100 });
    await wallet(env, c.company.id).charge({ id: "spent_before_dispute", credits: 70_000_000 as Credits, sale: sale() });
    const paid = await c.api.billing.order.query({ id: second.orderId });
    await deliver([await signedEvent("charge.dispute.created", { id: "dp_1", object: "dispute", payment_intent: paid.stripe.paymentIntent })]);
    expect(await available(c.company.id)).toBe(0);
    const row = await env.DB.prepare("SELECT status, reversed_credits AS reversed, reversal_shortfall AS shortfall FROM credit_orders WHERE id = ?")
      .bind(second.orderId)
      .first();
    expect(row).toEqual({ status: "reversed", reversed: 30_000_000, shortfall: 70_000_000 });
    expect((await deposits(c.company.id)).length).toBe(1);
  });

  it("a refunded plan period takes that period's credits back", async () => {
    const b = await h.buyer();
    const { orderId } = await buy(b.api, b.company.id, { kind: "plan", plan: "startup_monthly" });
    const order = await b.api.billing.order.query({ id: orderId });
    expect(order.stripe.paymentIntent).toMatch(/^pi_/);
    const charge = { id: "ch_plan", object: "charge", payment_intent: order.stripe.paymentIntent, refunded: true, amount: 4750, amount_refunded: 4750 };
    await deliver([await signedEvent("charge.refunded", charge)]);
    expect(await available(b.company.id)).toBe(0);
    expect(await b.api.billing.order.query({ id: orderId })).toMatchObject({ status: "reversed", reversedCredits: 113 });
  });
});
