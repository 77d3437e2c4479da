import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { buy, customerOf, deliver, deposits, eventsFor, ofType, one, sessionIdOf, stripe, type Buyer } from "./helpers";
import { h, available, expectCode } from "../harness";

async function subscribed(plan = "startup_monthly"): Promise<Buyer & { subscriptionId: string }> {
  const b = await h.buyer();
  await buy(b.api, b.company.id, { kind: "plan", plan });
  const view = await b.api.billing.plan.query();
  return { ...b, subscriptionId: view!.id };
}

async function stripePriceOf(subscriptionId: string) {
  const subscription = await stripe.stripe.subscriptions.retrieve(subscriptionId);
  return subscription.items.data[0]!.price;
}

async function advance(b: { company: { id: string }; subscriptionId: string }) {
  await stripe.control(`/subscriptions/${b.subscriptionId}/advance`);
  const events = await eventsFor(b.company.id);
  await deliver(events);
  return events;
}

describe("renewals", () => {
  it("credits 100 + 13 each time a monthly period's invoice is paid", async () => {
    const b = await subscribed();
    expect(await available(b.company.id)).toBe(113);
    await advance(b);
    expect(await available(b.company.id)).toBe(226);
    const events = await advance(b);
    // A repeat of the renewal's invoice.paid changes nothing.
    await deliver(ofType(events, "invoice.paid"));
    expect(await available(b.company.id)).toBe(339);

    const entries = await deposits(b.company.id);
    expect(entries.map((e) => e.kind)).toEqual(["plan", "plan", "plan"]);
    expect(new Set(entries.map((e) => e.operationId)).size).toBe(3);
    const { items } = await b.api.billing.orders.query();
    expect(items.map((o) => [o.kind, o.status, o.totalCredits])).toEqual([
      ["plan_renewal", "paid", 113],
      ["plan_renewal", "paid", 113],
      ["plan", "paid", 113],
    ]);
  });

  it("a declined renewal credits nothing, fails its order, and credits once the invoice is paid later", async () => {
    const b = await subscribed();
    const customer = await customerOf(b.company.id);
    await stripe.control(`/customers/${customer}/card`, { outcome: "decline" });
    const events = await advance(b);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["invoice.payment_failed", "payment_intent.payment_failed"]));
    expect(await available(b.company.id)).toBe(113);
    expect(await b.api.billing.plan.query()).toMatchObject({ status: "past_due" });
    const [renewal] = (await b.api.billing.orders.query()).items;
    expect(renewal).toMatchObject({ kind: "plan_renewal", status: "failed" });

    await stripe.control(`/customers/${customer}/card`, { outcome: "succeed" });
    await stripe.stripe.invoices.pay(renewal!.stripe.invoice!);
    await deliver(await eventsFor(b.company.id));
    expect(await available(b.company.id)).toBe(226);
    expect(await b.api.billing.order.query({ id: renewal!.id })).toMatchObject({ status: "paid" });
    expect(await b.api.billing.plan.query()).toMatchObject({ status: "active" });
  });
});

describe("upgrade: at once, the credit difference when the prorated invoice is paid", () => {
  it("Startup → Professional grants 575 − 113 = 462 credits with the proration invoice, once", async () => {
    const b = await subscribed();
    const view = await b.api.billing.changePlan.mutate({ plan: "professional_monthly" });
    expect(view).toMatchObject({ plan: { id: "professional_monthly" }, scheduledChange: null, status: "active" });
    expect((await stripePriceOf(b.subscriptionId)).unit_amount).toBe(23_125);
    // Not before the invoice is paid.
    expect(await available(b.company.id)).toBe(113);

    const events = await eventsFor(b.company.id);
    const paid = JSON.parse(one(events, "invoice.paid").payload).data.object as Stripe.Invoice;
    expect(paid).toMatchObject({ billing_reason: "subscription_update", total: 23_125 - 4750 });
    await deliver([...events, ...events]);
    expect(await available(b.company.id)).toBe(575);
    const [upgrade] = (await b.api.billing.orders.query()).items;
    expect(upgrade).toMatchObject({ kind: "plan_upgrade", item: "professional_monthly", status: "paid", totalCredits: 462, priceCents: 18_375 });

    // The next period is the new plan's.
    await advance(b);
    expect(await available(b.company.id)).toBe(575 + 575);
  });

  it("a declined card refuses the upgrade: PAYMENT_FAILED, plan and credits unchanged", async () => {
    const b = await subscribed();
    await stripe.control(`/customers/${await customerOf(b.company.id)}/card`, { outcome: "decline" });
    await expectCode(b.api.billing.changePlan.mutate({ plan: "enterprise_monthly" }), "PAYMENT_FAILED");
    expect((await stripePriceOf(b.subscriptionId)).unit_amount).toBe(4750);
    expect(await b.api.billing.plan.query()).toMatchObject({ plan: { id: "startup_monthly" } });
    await deliver(await eventsFor(b.company.id));
    expect(await available(b.company.id)).toBe(113);
  });
});

describe("downgrade: at the next billing cycle", () => {
  it("Professional → Startup keeps this period's plan and credits, then renews as Startup", async () => {
    const b = await subscribed("professional_monthly");
    const view = await b.api.billing.changePlan.mutate({ plan: "startup_monthly" });
    expect(view).toMatchObject({ plan: { id: "professional_monthly" }, scheduledChange: { plan: { id: "startup_monthly" } } });
    expect(view!.scheduledChange!.at).toBe(view!.currentPeriodEnd);
    const events = await eventsFor(b.company.id);
    expect(ofType(events, "invoice.paid")).toEqual([]);
    await deliver(events);
    expect(await available(b.company.id)).toBe(575);

    await advance(b);
    expect(await available(b.company.id)).toBe(575 + 113);
    expect(await b.api.billing.plan.query()).toMatchObject({ plan: { id: "startup_monthly" }, scheduledChange: null });
  });

  it("choosing the current plan again takes a scheduled downgrade back; an upgrade from there prorates from the plan paid for", async () => {
    const b = await subscribed("professional_monthly");
    await b.api.billing.changePlan.mutate({ plan: "startup_monthly" });
    const back = await b.api.billing.changePlan.mutate({ plan: "professional_monthly" });
    expect(back).toMatchObject({ plan: { id: "professional_monthly" }, scheduledChange: null });
    expect((await stripePriceOf(b.subscriptionId)).unit_amount).toBe(23_125);

    await b.api.billing.changePlan.mutate({ plan: "startup_monthly" });
    await b.api.billing.changePlan.mutate({ plan: "enterprise_monthly" });
    await deliver(await eventsFor(b.company.id));
    // Enterprise 1,175 − Professional 575, not − Startup 113.
    expect(await available(b.company.id)).toBe(1175);
  });
});

describe("cancel: stops renewal, keeps every credit", () => {
  it("ends at period end with no further credits; the credits stay", async () => {
    const b = await subscribed();
    const view = await b.api.billing.cancelPlan.mutate();
    expect(view).toMatchObject({ cancelAtPeriodEnd: true, status: "active" });
    await expectCode(b.api.billing.cancelPlan.mutate(), "CONFLICT");
    await expectCode(b.api.billing.changePlan.mutate({ plan: "professional_monthly" }), "CONFLICT");

    const events = await advance(b);
    expect(events.map((e) => e.type)).toContain("customer.subscription.deleted");
    expect(ofType(events, "invoice.paid")).toEqual([]);
    expect(await b.api.billing.plan.query()).toMatchObject({ status: "canceled" });
    expect(await available(b.company.id)).toBe(113);

    // With no plan left, the company may subscribe again.
    await buy(b.api, b.company.id, { kind: "plan", plan: "enterprise_monthly" });
    expect(await available(b.company.id)).toBe(113 + 1175);
  });

  it("resume takes a cancel back before the period ends", async () => {
    const b = await subscribed();
    await b.api.billing.cancelPlan.mutate();
    expect(await b.api.billing.resumePlan.mutate()).toMatchObject({ cancelAtPeriodEnd: false });
    expect((await stripe.stripe.subscriptions.retrieve(b.subscriptionId)).cancel_at_period_end).toBe(false);
    await advance(b);
    expect(await available(b.company.id)).toBe(226);
  });
});

describe("plan errors", () => {
  it("refuses what makes no sense, with clear codes", async () => {
    const b = await subscribed();
    await expectCode(b.api.billing.changePlan.mutate({ plan: "startup_monthly" }), "CONFLICT");
    await expectCode(b.api.billing.changePlan.mutate({ plan: "platinum_monthly" }), "NOT_FOUND");
    await expectCode(b.api.billing.changePlan.mutate({ plan: "starter" }), "NOT_FOUND");
    await expectCode(b.api.billing.changePlan.mutate({ plan: "enterprise_annual" }), "BAD_REQUEST");
    await expectCode(b.api.billing.checkout.mutate({ kind: "plan", plan: "enterprise_monthly" }), "CONFLICT");

    const nobody = await h.buyer();
    await expectCode(nobody.api.billing.changePlan.mutate({ plan: "startup_monthly" }), "NOT_FOUND");
    await expectCode(nobody.api.billing.cancelPlan.mutate(), "NOT_FOUND");
    expect(await nobody.api.billing.plan.query()).toBeNull();
  });
});

describe("one plan per company", () => {
  it("two plan checkouts paid at nearly the same time: both periods credited, the second plan never renews", async () => {
    const b = await h.buyer();
    // Two checkouts started at the same instant, each before the other was recorded:
    // the first order is hidden from the second's "expire earlier checkouts" step.
    const first = await b.api.billing.checkout.mutate({ kind: "plan", plan: "startup_monthly" });
    await env.DB.prepare("UPDATE credit_orders SET status = 'racing' WHERE id = ?").bind(first.orderId).run();
    const second = await b.api.billing.checkout.mutate({ kind: "plan", plan: "professional_monthly" });
    await env.DB.prepare("UPDATE credit_orders SET status = 'pending' WHERE id = ?").bind(first.orderId).run();

    await stripe.control(`/checkout/sessions/${sessionIdOf(first.url)}/complete`);
    await stripe.control(`/checkout/sessions/${sessionIdOf(second.url)}/complete`);
    await deliver(await eventsFor(b.company.id));
    await deliver(await eventsFor(b.company.id));

    // Both paid periods are credited, once each: Startup 113 + Professional 575.
    expect(await available(b.company.id)).toBe(113 + 575);
    const subscriptions = await stripe.stripe.subscriptions.list({ customer: await customerOf(b.company.id) });
    expect(subscriptions.data.map((s) => s.cancel_at_period_end).sort()).toEqual([false, true]);
    const view = await b.api.billing.plan.query();
    expect(view).toMatchObject({ plan: { id: "startup_monthly" }, cancelAtPeriodEnd: false });
    const ending = subscriptions.data.find((s) => s.cancel_at_period_end)!;
    expect(ending.id).not.toBe(view!.id);

    // Next period: only the first plan renews.
    await stripe.control(`/subscriptions/${view!.id}/advance`);
    await stripe.control(`/subscriptions/${ending.id}/advance`);
    await deliver(await eventsFor(b.company.id));
    expect(await available(b.company.id)).toBe(113 + 575 + 113);
    expect((await stripe.stripe.subscriptions.retrieve(ending.id)).status).toBe("canceled");
  });
});
