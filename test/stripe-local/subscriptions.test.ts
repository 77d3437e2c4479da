import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/stripe";
import { localStripe } from "./harness";

async function plans(stripe: Stripe) {
  const product = await stripe.products.create({ name: "Tessera plans" });
  const starter = await stripe.prices.create({ product: product.id, currency: "usd", unit_amount: 1000, recurring: { interval: "month" }, lookup_key: `starter_${product.id}` });
  const pro = await stripe.prices.create({ product: product.id, currency: "usd", unit_amount: 3000, recurring: { interval: "month" } });
  return { starter, pro };
}

/** A customer subscribed to `starter` through Checkout, with the creation deliveries drained. */
async function subscribed() {
  const local = localStripe();
  const { starter, pro } = await plans(local.stripe);
  const customer = await local.stripe.customers.create({ email: "team@example.com" });
  const session = await local.stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: starter.id, quantity: 1 }],
    subscription_data: { metadata: { company: "co_1", plan: "starter" } },
    success_url: "https://tessera.test/ok",
  });
  await local.control(`/checkout/sessions/${session.id}/complete`);
  const completed = await local.stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
  const subscription = completed.subscription as Stripe.Subscription;
  return { local, starter, pro, customer, session, subscription };
}

async function event<T>(local: ReturnType<typeof localStripe>, type: string, id: string): Promise<{ event: Stripe.Event; object: T }> {
  const delivery = await local.delivery(type, id);
  const event = await verifyWebhook(env, delivery.payload, delivery.signature);
  return { event, object: event.data.object as T };
}

describe("subscription checkout", () => {
  it("creates the subscription, a paid subscription_create invoice and the three events", async () => {
    const { local, starter, customer, session, subscription } = await subscribed();
    expect(subscription).toMatchObject({ status: "active", customer: customer.id, metadata: { company: "co_1", plan: "starter" } });
    const item = subscription.items.data[0]!;
    expect(item.price.id).toBe(starter.id);
    expect(item.current_period_end).toBeGreaterThan(item.current_period_start);

    const types = (await local.drain({ for: subscription.id })).map((delivery) => delivery.type);
    expect(types).toEqual(expect.arrayContaining(["customer.subscription.created", "invoice.paid", "checkout.session.completed"]));

    const invoice = await local.stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice).toMatchObject({ billing_reason: "subscription_create", status: "paid", amount_paid: 1000, customer: customer.id });
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(invoice.lines.data[0]?.pricing?.price_details?.price).toBe(starter.id);
    expect(session.url).toContain(`/checkout/${session.id}`);
  });

  it("bills the next period on advance: invoice.paid with billing_reason subscription_cycle", async () => {
    const { local, subscription } = await subscribed();
    await local.drain({ for: subscription.id });
    await local.control(`/subscriptions/${subscription.id}/advance`);

    const { object: invoice } = await event<Stripe.Invoice>(local, "invoice.paid", subscription.id);
    expect(invoice).toMatchObject({ billing_reason: "subscription_cycle", amount_paid: 1000, status: "paid" });
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    const renewed = await local.stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.items.data[0]!.current_period_start).toBe(subscription.items.data[0]!.current_period_end);

    const invoices = await local.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((listed) => listed.billing_reason)).toEqual(["subscription_cycle", "subscription_create"]);
  });

  it("fails the renewal when the card declines: invoice.payment_failed and past_due", async () => {
    const { local, customer, subscription } = await subscribed();
    await local.drain({ for: subscription.id });
    await local.control(`/customers/${customer.id}/card`, { outcome: "decline" });
    await local.control(`/subscriptions/${subscription.id}/advance`);

    const { object: invoice } = await event<Stripe.Invoice>(local, "invoice.payment_failed", subscription.id);
    expect(invoice).toMatchObject({ billing_reason: "subscription_cycle", status: "open", amount_paid: 0, attempt_count: 1 });
    expect((await local.stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
    expect(await local.drain({ for: subscription.id, type: "invoice.paid" })).toEqual([]);
  });

  it("upgrades with always_invoice: a paid subscription_update proration invoice now", async () => {
    const { local, pro, subscription } = await subscribed();
    await local.drain({ for: subscription.id });
    const updated = await local.stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: pro.id }],
      proration_behavior: "always_invoice",
      payment_behavior: "error_if_incomplete",
    });
    expect(updated.items.data[0]!.price.id).toBe(pro.id);

    const { object: invoice } = await event<Stripe.Invoice>(local, "invoice.paid", subscription.id);
    expect(invoice.billing_reason).toBe("subscription_update");
    // Right after the period started, nearly all of the 20.00 difference is due.
    expect(invoice.amount_paid).toBeGreaterThan(1900);
    expect(invoice.amount_paid).toBeLessThanOrEqual(2000);
    expect(invoice.lines.data.map((line) => Math.sign(line.amount))).toEqual([-1, 1]);
    const { event: changed } = await event<Stripe.Subscription>(local, "customer.subscription.updated", subscription.id);
    expect(changed.data.previous_attributes).toHaveProperty("items");
  });

  it("refuses an upgrade whose proration the card declines, leaving the plan as it was", async () => {
    const { local, customer, pro, starter, subscription } = await subscribed();
    await local.control(`/customers/${customer.id}/card`, { outcome: "decline" });
    const error = await local.stripe.subscriptions
      .update(subscription.id, {
        items: [{ id: subscription.items.data[0]!.id, price: pro.id }],
        proration_behavior: "always_invoice",
        payment_behavior: "error_if_incomplete",
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((await local.stripe.subscriptions.retrieve(subscription.id)).items.data[0]!.price.id).toBe(starter.id);
  });

  it("downgrades with proration none: no invoice now, the next renewal bills the new price", async () => {
    const local = localStripe();
    const { starter, pro } = await plans(local.stripe);
    const customer = await local.stripe.customers.create({ email: "big@example.com" });
    const session = await local.stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: pro.id, quantity: 1 }],
      success_url: "https://tessera.test/ok",
    });
    await local.control(`/checkout/sessions/${session.id}/complete`);
    const subscriptionId = (await local.stripe.checkout.sessions.retrieve(session.id)).subscription as string;
    const subscription = await local.stripe.subscriptions.retrieve(subscriptionId);
    await local.drain({ for: subscriptionId });

    await local.stripe.subscriptions.update(subscriptionId, {
      items: [{ id: subscription.items.data[0]!.id, price: starter.id }],
      proration_behavior: "none",
    });
    expect((await local.drain({ for: subscriptionId })).map((delivery) => delivery.type)).toEqual(["customer.subscription.updated"]);

    await local.control(`/subscriptions/${subscriptionId}/advance`);
    const { object: invoice } = await event<Stripe.Invoice>(local, "invoice.paid", subscriptionId);
    expect(invoice).toMatchObject({ billing_reason: "subscription_cycle", amount_paid: 1000 });
  });

  it("ends at period end when cancel_at_period_end is set, and cancels now on delete", async () => {
    const { local, subscription } = await subscribed();
    const scheduled = await local.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(scheduled).toMatchObject({ cancel_at_period_end: true, status: "active" });
    await local.control(`/subscriptions/${subscription.id}/advance`);
    const { object: ended } = await event<Stripe.Subscription>(local, "customer.subscription.deleted", subscription.id);
    expect(ended.status).toBe("canceled");
    expect(await local.drain({ for: subscription.id, type: "invoice.paid" })).toHaveLength(1); // only the first invoice

    const other = await subscribed();
    const canceled = await other.local.stripe.subscriptions.cancel(other.subscription.id);
    expect(canceled.status).toBe("canceled");
    await event(other.local, "customer.subscription.deleted", other.subscription.id);
    await expect(other.local.stripe.subscriptions.update(other.subscription.id, { metadata: { a: "b" }, cancel_at_period_end: false }))
      .rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it("rejects a one-time price in subscription mode and a recurring price in payment mode", async () => {
    const local = localStripe();
    const { starter } = await plans(local.stripe);
    const oneTime = await local.stripe.prices.create({ currency: "usd", unit_amount: 500, product_data: { name: "credits" } });
    await expect(
      local.stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: starter.id, quantity: 1 }] }),
    ).rejects.toMatchObject({ type: "StripeInvalidRequestError", param: "line_items[0][price]" });
    await expect(
      local.stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: oneTime.id, quantity: 1 }] }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const found = await local.stripe.prices.list({ lookup_keys: [starter.lookup_key!] });
    expect(found.data.map((price) => price.id)).toEqual([starter.id]);
  });
});
