import { env } from "cloudflare:workers";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { buy, checkoutPaid, customerOf, deliver, deposits, one, stripe } from "./helpers";
import { h, available } from "../harness";

describe("buying credits end to end: checkout → pay on the local Stripe → webhook → balance", () => {
  it("on-demand: 40 credits cost $20.00 and land once paid", async () => {
    const b = await h.buyer();
    const { url, orderId } = await b.api.billing.checkout.mutate({ kind: "on_demand", credits: 40 });
    expect(url).toContain(`${env.STRIPE_API_BASE}/checkout/cs_test_`);

    // Nothing lands before Stripe says the money arrived.
    expect(await available(b.company.id)).toBe(0);
    const pending = await b.api.billing.order.query({ id: orderId });
    expect(pending).toMatchObject({ kind: "on_demand", status: "pending", credits: 40, bonusCredits: 0, priceCents: 2000, priceUsd: 20 });

    const session = await stripe.stripe.checkout.sessions.retrieve(pending.stripe.checkoutSession!);
    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 2000,
      client_reference_id: b.company.id,
      metadata: { order_id: orderId, company_id: b.company.id },
      customer: await customerOf(b.company.id),
    });
    expect(session.success_url).toBe(`${env.PUBLIC_URL}/app/credits?checkout=success&order=${orderId}`);

    await stripe.control(`/checkout/sessions/${session.id}/complete`);
    await deliver(await stripe.drain({ for: await customerOf(b.company.id) }));

    expect(await available(b.company.id)).toBe(40);
    const paid = await b.api.billing.order.query({ id: orderId });
    expect(paid).toMatchObject({ status: "paid", totalCredits: 40 });
    expect(paid.stripe.paymentIntent).toMatch(/^pi_/);
    const [entry, ...more] = await deposits(b.company.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ kind: "top_up", operationId: `stripe:${paid.stripe.paymentIntent}`, amount: 40_000_000, usdPerCredit: 500_000 });
  });

  it("a bundle: Professional pays 250 credits' price ($125) and gives 282", async () => {
    const b = await h.buyer();
    const { orderId, sessionId } = await buy(b.api, b.company.id, { kind: "bundle", bundle: "professional" });
    expect((await stripe.stripe.checkout.sessions.retrieve(sessionId)).amount_total).toBe(12_500);
    expect(await available(b.company.id)).toBe(282);
    expect(await b.api.billing.order.query({ id: orderId })).toMatchObject({
      kind: "bundle",
      item: "professional",
      status: "paid",
      credits: 250,
      bonusCredits: 32,
      totalCredits: 282,
      priceCents: 12_500,
    });
  });

  it("a monthly plan: subscription mode, 100 + 13 credits for $47.50 when the first invoice is paid", async () => {
    const b = await h.buyer();
    const { orderId, sessionId, events } = await checkoutPaid(b.api, b.company.id, { kind: "plan", plan: "startup_monthly" });
    const session = await stripe.stripe.checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({ mode: "subscription", amount_total: 4750, client_reference_id: b.company.id });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["customer.subscription.created", "invoice.paid", "checkout.session.completed"]));

    await deliver(events);
    expect(await available(b.company.id)).toBe(113);
    const order = await b.api.billing.order.query({ id: orderId });
    expect(order).toMatchObject({ kind: "plan", item: "startup_monthly", status: "paid", totalCredits: 113, priceCents: 4750, discountPercent: 5 });
    const [entry] = await deposits(b.company.id);
    expect(entry).toMatchObject({ kind: "plan", operationId: `stripe:${order.stripe.invoice}` });

    const plan = await b.api.billing.plan.query();
    expect(plan).toMatchObject({ plan: { id: "startup_monthly", name: "Startup", interval: "month" }, status: "active", cancelAtPeriodEnd: false, scheduledChange: null });
    expect(plan!.currentPeriodEnd).toBeGreaterThan(Date.now() + 27 * 86_400_000);
  });

  it("an annual plan: Professional 6,000 + 1,050 credits for $2,640 (12% off)", async () => {
    const b = await h.buyer();
    const { sessionId } = await buy(b.api, b.company.id, { kind: "plan", plan: "professional_annual" });
    const session = await stripe.stripe.checkout.sessions.retrieve(sessionId, { expand: ["subscription"] });
    expect(session.amount_total).toBe(264_000);
    expect((session.subscription as Stripe.Subscription).items.data[0]!.price.recurring?.interval).toBe("year");
    expect(await available(b.company.id)).toBe(7050);
    expect(await b.api.billing.plan.query()).toMatchObject({ plan: { id: "professional_annual", interval: "year" } });
  });

  it("lists the company's orders newest first, paged", async () => {
    const b = await h.buyer();
    const first = await buy(b.api, b.company.id, { kind: "on_demand", credits: 10 });
    const second = await buy(b.api, b.company.id, { kind: "bundle", bundle: "starter" });
    const third = await b.api.billing.checkout.mutate({ kind: "on_demand", credits: 12 });

    const page1 = await b.api.billing.orders.query({ limit: 2 });
    expect(page1.items.map((o) => o.id)).toEqual([third.orderId, second.orderId]);
    expect(page1.items.map((o) => o.status)).toEqual(["pending", "paid"]);
    const page2 = await b.api.billing.orders.query({ limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((o) => o.id)).toEqual([first.orderId]);
    expect(page2.nextCursor).toBeNull();
    expect(await available(b.company.id)).toBe(10 + 55);
  });

  it("names a bundle's deposit as the catalogue names it, and keeps an older order's wording", async () => {
    const b = await h.buyer();
    const { orderId } = await buy(b.api, b.company.id, { kind: "bundle", bundle: "starter" });
    expect((await deposits(b.company.id)).map((d) => d.reason)).toEqual([`Starter bundle (order ${orderId})`]);

    // An order made before names were kept: its deposit (and any repeat of it) says what it always said.
    const older = await checkoutPaid(b.api, b.company.id, { kind: "bundle", bundle: "starter" });
    await env.DB.prepare("UPDATE credit_orders SET catalogue_name = NULL WHERE id = ?").bind(older.orderId).run();
    await deliver(older.events);
    await deliver(older.events);
    expect((await deposits(b.company.id)).map((d) => d.reason)).toEqual([`Bundle starter (order ${older.orderId})`, `Starter bundle (order ${orderId})`]);
  });

  it("saves the card paid with at checkout for later off-session charges", async () => {
    const b = await h.buyer();
    const { events } = await checkoutPaid(b.api, b.company.id, { kind: "on_demand", credits: 10 });
    const intent = JSON.parse(one(events, "payment_intent.succeeded").payload).data.object as Stripe.PaymentIntent;
    expect(intent.setup_future_usage).toBe("off_session");
    await deliver(events);
    const row = await env.DB.prepare("SELECT payment_method_id AS pm FROM billing_customers WHERE company_id = ?").bind(b.company.id).first<{ pm: string }>();
    expect(row?.pm).toBe(intent.payment_method);
  });

  it("keeps one Stripe customer per company across purchases", async () => {
    const b = await h.buyer();
    await b.api.billing.checkout.mutate({ kind: "on_demand", credits: 10 });
    const customer = await customerOf(b.company.id);
    const { orderId } = await b.api.billing.checkout.mutate({ kind: "bundle", bundle: "starter" });
    const order = await b.api.billing.order.query({ id: orderId });
    const session = await stripe.stripe.checkout.sessions.retrieve(order.stripe.checkoutSession!);
    expect(session.customer).toBe(customer);
    expect((await stripe.stripe.customers.retrieve(customer)) as Stripe.Customer).toMatchObject({ metadata: { company_id: b.company.id } });
  });
});
