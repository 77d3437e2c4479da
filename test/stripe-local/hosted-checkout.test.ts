import { describe, expect, it } from "vitest";
import { localStripe } from "./harness";

async function openSession() {
  const local = localStripe();
  const customer = await local.stripe.customers.create({ email: "browser@example.com" });
  const session = await local.stripe.checkout.sessions.create({
    mode: "payment",
    customer: customer.id,
    line_items: [{ quantity: 1, price_data: { currency: "usd", unit_amount: 5000, product_data: { name: "100 credits" } } }],
    success_url: "https://tessera.test/billing?session={CHECKOUT_SESSION_ID}",
    cancel_url: "https://tessera.test/billing",
  });
  return { local, customer, session };
}

describe("hosted checkout page", () => {
  it("shows the order and, on Pay, completes the session and redirects to success_url", async () => {
    const { local, session } = await openSession();
    const page = await fetch(session.url!);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("100 credits");
    expect(html).toContain("50.00 USD");

    const paid = await fetch(`${session.url}/pay`, { method: "POST", redirect: "manual" });
    await paid.arrayBuffer();
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`https://tessera.test/billing?session=${session.id}`);
    expect(await local.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid" });
    expect((await local.drain({ for: session.id })).map((delivery) => delivery.type)).toContain("checkout.session.completed");
  });

  it("declines card=fail: 402 page, session still open, payment_intent.payment_failed emitted", async () => {
    const { local, customer, session } = await openSession();
    const declined = await fetch(`${session.url}/pay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "card=fail",
      redirect: "manual",
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined.");
    expect(await local.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", payment_status: "unpaid" });
    expect(await local.drain({ for: customer.id, type: "payment_intent.payment_failed" })).toHaveLength(1);
    expect(await local.drain({ for: session.id, type: "checkout.session.completed" })).toEqual([]);

    // The buyer tries again with a good card.
    await local.control(`/checkout/sessions/${session.id}/complete`);
    expect((await local.stripe.checkout.sessions.retrieve(session.id)).status).toBe("complete");
  });

  it("will not complete a session twice, nor an expired one", async () => {
    const { local, session } = await openSession();
    await local.control(`/checkout/sessions/${session.id}/complete`);
    await expect(local.control(`/checkout/sessions/${session.id}/complete`)).rejects.toThrow(/400/);

    const other = await openSession();
    const expired = await other.local.stripe.checkout.sessions.expire(other.session.id);
    expect(expired.status).toBe("expired");
    await expect(other.local.control(`/checkout/sessions/${other.session.id}/complete`)).rejects.toThrow(/400/);
    expect(await other.local.drain({ for: other.session.id, type: "checkout.session.expired" })).toHaveLength(1);
  });

  it("saves a card in setup mode", async () => {
    const local = localStripe();
    const customer = await local.stripe.customers.create({ email: "setup@example.com" });
    const session = await local.stripe.checkout.sessions.create({ mode: "setup", customer: customer.id, currency: "usd" });
    expect(session.payment_status).toBe("no_payment_required");
    await local.control(`/checkout/sessions/${session.id}/complete`);
    const completed = await local.stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent"] });
    const intent = completed.setup_intent as { status: string; payment_method: string };
    expect(intent.status).toBe("succeeded");
    const methods = await local.stripe.customers.listPaymentMethods(customer.id);
    expect(methods.data.map((method) => method.id)).toContain(intent.payment_method);
  });
});
