import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { postToWorker, type Delivery } from "../stripe-local/harness";
import { h, workerStripe } from "../harness";

/** A delivery of `payload` as Stripe would sign it now. */
async function signed(payload: string): Promise<Delivery> {
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: env.STRIPE_WEBHOOK_SECRET });
  return { id: "local", type: "account.updated", payload, signature };
}

async function accountUpdated(accountId: string): Promise<Delivery> {
  const deliveries = await workerStripe().drain({ for: accountId, type: "account.updated" });
  expect(deliveries.length).toBeGreaterThan(0);
  return deliveries.at(-1)!;
}

describe("account.updated webhook", () => {
  it("verifies the seller when Stripe reports onboarding finished through the hosted page", async () => {
    const s = await h.seller({ name: "Webhook Seller", connect: true, verified: false, buyer: true });
    // The seller submits Stripe's onboarding form (the Account Link page).
    const submitted = await fetch(s.onboardingUrl!, { method: "POST", redirect: "manual" });
    await submitted.arrayBuffer();
    expect(submitted.status).toBe(303);
    expect((await s.api.connect.status.query()).status).toBe("incomplete");

    const delivery = await accountUpdated(s.accountId);
    const res = await postToWorker(delivery);
    expect(await res.json()).toMatchObject({ received: true, handled: true });
    expect(await s.api.connect.status.query()).toMatchObject({ status: "verified", canSell: true });

    // The same delivery again changes nothing.
    expect((await postToWorker(delivery)).status).toBe(200);
    expect((await s.api.connect.status.query()).status).toBe("verified");
  });

  it("follows Stripe restricting payouts, and ignores an older state delivered late", async () => {
    const s = await h.seller({ name: "Late Event Seller", connect: true, verified: false, buyer: true });
    await workerStripe().control(`/accounts/${s.accountId}/onboarding`);
    const verified = await accountUpdated(s.accountId);
    await postToWorker(verified);
    expect((await s.api.connect.status.query()).status).toBe("verified");

    await workerStripe().control(`/accounts/${s.accountId}/payouts`, { enabled: "false" });
    const restricted = await accountUpdated(s.accountId);
    await postToWorker(restricted);
    expect(await s.api.connect.status.query()).toMatchObject({ status: "incomplete", canSell: false, payoutsEnabled: false });

    // An event from a minute before the restriction, saying all was well, arrives late.
    const stale = JSON.parse(verified.payload) as { created: number; id: string };
    stale.created = (JSON.parse(restricted.payload) as { created: number }).created - 60;
    stale.id = `${stale.id}_late`;
    const res = await postToWorker(await signed(JSON.stringify(stale)));
    expect(res.status).toBe(200);
    expect(await s.api.connect.status.query()).toMatchObject({ status: "incomplete", canSell: false });
  });

  it("ignores accounts that are not a live Tessera seller's, and refuses a forged signature", async () => {
    const s = await h.seller({ name: "Gone Seller", connect: true, verified: false, buyer: true });
    await s.api.connect.disconnect.mutate();
    const event = {
      id: "evt_local_unknown",
      object: "event",
      type: "account.updated",
      created: Math.floor(Date.now() / 1000) + 5,
      account: s.accountId,
      data: { object: { id: s.accountId, object: "account", details_submitted: true, payouts_enabled: true, requirements: { currently_due: [] } } },
    };
    expect((await postToWorker(await signed(JSON.stringify(event)))).status).toBe(200);
    expect(await s.api.connect.status.query()).toMatchObject({ status: "disconnected", canSell: false });

    const stranger = { ...event, id: "evt_local_stranger", account: "acct_not_ours", data: { object: { ...event.data.object, id: "acct_not_ours" } } };
    expect((await postToWorker(await signed(JSON.stringify(stranger)))).status).toBe(200);

    const forged = await signed(JSON.stringify(event));
    const res = await postToWorker({ ...forged, payload: forged.payload.replace("true", "false") });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
  });
});
