import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/stripe";
import { localStripe } from "./harness";

async function onboardedSeller() {
  const local = localStripe();
  const account = await local.stripe.accounts.create({ type: "express", email: "seller@example.com", capabilities: { transfers: { requested: true } } });
  await local.control(`/accounts/${account.id}/onboarding`);
  await local.drain({ for: account.id });
  return { local, account };
}

describe("Connect onboarding", () => {
  it("starts disabled, and the Account Link page enables payouts and emits account.updated", async () => {
    const local = localStripe();
    const account = await local.stripe.accounts.create({ type: "express", email: "seller@example.com", metadata: { company: "co_9" } });
    expect(account).toMatchObject({ object: "account", type: "express", details_submitted: false, charges_enabled: false, payouts_enabled: false });
    expect(account.id).toMatch(/^acct_/);
    expect(account.requirements?.currently_due).toContain("external_account");

    const link = await local.stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      refresh_url: "https://tessera.test/connect/refresh",
      return_url: "https://tessera.test/connect/done",
    });
    expect(link.object).toBe("account_link");
    const page = await fetch(link.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(account.id);

    const submitted = await fetch(link.url, { method: "POST", redirect: "manual" });
    await submitted.arrayBuffer();
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get("location")).toBe("https://tessera.test/connect/done");

    const delivery = await local.delivery("account.updated", account.id);
    const event = await verifyWebhook(env, delivery.payload, delivery.signature);
    expect(event.account).toBe(account.id);
    expect(event.data.object).toMatchObject({ id: account.id, payouts_enabled: true, details_submitted: true, charges_enabled: true });
    expect(event.data.previous_attributes).toMatchObject({ payouts_enabled: false });

    // Account Links are single-use: a second visit goes to refresh_url.
    const reused = await fetch(link.url, { method: "POST", redirect: "manual" });
    await reused.arrayBuffer();
    expect(reused.headers.get("location")).toBe("https://tessera.test/connect/refresh");
  });

  it("deletes an account", async () => {
    const local = localStripe();
    const account = await local.stripe.accounts.create({ type: "express" });
    await expect(local.stripe.accounts.del(account.id)).resolves.toMatchObject({ id: account.id, deleted: true });
    await expect(local.stripe.accounts.retrieve(account.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe("transfers (seller payouts)", () => {
  it("makes one transfer for two requests with the same Idempotency-Key", async () => {
    const { local, account } = await onboardedSeller();
    await local.control("/balance", { amount: "10000" });
    const params = { amount: 2500, currency: "usd", destination: account.id, metadata: { payout: "po_1" } };

    const first = await local.stripe.transfers.create(params, { idempotencyKey: "payout-po_1" });
    const second = await local.stripe.transfers.create(params, { idempotencyKey: "payout-po_1" });

    expect(second.id).toBe(first.id);
    expect(first).toMatchObject({ object: "transfer", amount: 2500, destination: account.id, metadata: { payout: "po_1" }, reversed: false });
    const listed = await local.stripe.transfers.list({ destination: account.id });
    expect(listed.data.map((transfer) => transfer.id)).toEqual([first.id]);
    expect((await local.stripe.balance.retrieve()).available[0]).toMatchObject({ amount: 7500, currency: "usd" });
    expect((await local.stripe.transfers.retrieve(first.id)).amount).toBe(2500);
  });

  it("fails with balance_insufficient when the platform balance is short", async () => {
    const { local, account } = await onboardedSeller();
    await local.control("/balance", { amount: "1000" });
    const error = await local.stripe.transfers.create({ amount: 2500, currency: "usd", destination: account.id }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: "balance_insufficient" });
    expect((await local.stripe.balance.retrieve()).available[0]!.amount).toBe(1000);
    expect((await local.stripe.transfers.list()).data).toEqual([]);
  });

  it("refuses a destination whose payouts are disabled, or that never finished onboarding", async () => {
    const { local, account } = await onboardedSeller();
    await local.control("/balance", { amount: "100000" });
    await local.control(`/accounts/${account.id}/payouts`, { enabled: "false" });
    expect((await local.stripe.accounts.retrieve(account.id)).payouts_enabled).toBe(false);
    await expect(local.stripe.transfers.create({ amount: 500, currency: "usd", destination: account.id })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "insufficient_capabilities_for_transfer",
    });

    const fresh = await local.stripe.accounts.create({ type: "express" });
    await expect(local.stripe.transfers.create({ amount: 500, currency: "usd", destination: fresh.id })).rejects.toMatchObject({
      code: "insufficient_capabilities_for_transfer",
    });
    await expect(local.stripe.transfers.create({ amount: 500, currency: "usd", destination: "acct_missing" })).rejects.toMatchObject({
      code: "resource_missing",
      param: "destination",
    });
  });

  it("adds card payments to the available balance", async () => {
    const local = localStripe();
    const session = await local.stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ quantity: 1, price_data: { currency: "usd", unit_amount: 4200, product_data: { name: "credits" } } }],
    });
    await local.control(`/checkout/sessions/${session.id}/complete`);
    expect((await local.stripe.balance.retrieve()).available[0]!.amount).toBe(4200);
  });
});
