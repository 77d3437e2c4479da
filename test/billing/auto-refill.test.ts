import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { MICRO, type Credits } from "../../src/money";
import { wallet, walletOf } from "../../src/wallet/client";
import { sale } from "../wallet/helpers";
import { buy, crossingOf, customerOf, deliver, deposits, eventsFor, ofType, redeliver, stripe, type Buyer } from "./helpers";
import { h, adminKey, available, client, eventually, expectCode, rest } from "../harness";

/** A buyer who paid by card once (so a card is saved) with `credits`, and auto-refill set. */
async function refilling(opts: { credits: number; threshold: number; refillCredits?: number; refillBundle?: string }): Promise<Buyer> {
  const b = await h.buyer();
  await buy(b.api, b.company.id, { kind: "on_demand", credits: opts.credits });
  const settings = await b.api.billing.autoRefill.set.mutate({
    enabled: true,
    thresholdCredits: opts.threshold,
    ...(opts.refillBundle ? { refillBundle: opts.refillBundle } : { refillCredits: opts.refillCredits ?? 100 }),
  });
  expect(settings).toMatchObject({ enabled: true, thresholdCredits: opts.threshold, consecutiveFailures: 0 });
  return b;
}

let charges = 0;
function spend(companyId: string, credits: number) {
  return wallet(env, companyId).charge({ id: `spend_${++charges}_${crypto.randomUUID()}`, credits: (credits * MICRO) as Credits, sale: sale() });
}

/** How many crossings the wallet ever recorded (its AUTOINCREMENT counter). */
async function crossingsRecorded(companyId: string): Promise<number> {
  return runInDurableObject(walletOf(env, companyId), (_instance, state) => {
    const row = state.storage.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'crossings'").toArray()[0];
    return row?.seq ?? 0;
  });
}

async function status(b: Buyer) {
  return b.api.billing.autoRefill.get.query();
}

describe("auto-refill: once per crossing", () => {
  it("200 concurrent charges crossing the threshold trigger exactly one refill, credited once", async () => {
    // 250 − 200 = 50: every charge succeeds, and one of them takes available from 100 to 99.
    const b = await refilling({ credits: 250, threshold: 100, refillCredits: 1000 });
    await Promise.all(Array.from({ length: 200 }, () => spend(b.company.id, 1)));

    const refilled = await eventually(async () => {
      const s = await status(b);
      // Paid, then the settings note it: two writes, so wait for both.
      return s.recentRefills[0]?.status === "paid" && s.lastRefillAt !== null ? s : null;
    }, "the refill");
    // Let any straggling crossing be handled, then count.
    await eventually(async () => (await wallet(env, b.company.id).crossings()).pending.length === 0, "crossings handled");
    expect(await crossingsRecorded(b.company.id)).toBe(1);
    expect(refilled.recentRefills).toHaveLength(1);
    expect(refilled.recentRefills[0]).toMatchObject({ credits: 1000, priceCents: 50_000, attempts: 1 });
    expect(refilled.lastRefillAt).not.toBeNull();
    expect(await available(b.company.id)).toBe(250 - 200 + 1000);

    // Stripe was charged once off-session; its webhook (the refill's twin) credits nothing more.
    const events = await eventsFor(b.company.id);
    const refillPayments = ofType(events, "payment_intent.succeeded")
      .map((e) => JSON.parse(e.payload).data.object as Stripe.PaymentIntent)
      .filter((intent) => intent.metadata.kind === "auto_refill");
    expect(refillPayments).toHaveLength(1);
    expect(refillPayments[0]).toMatchObject({ amount: 50_000, customer: await customerOf(b.company.id) });
    await deliver(events);
    expect((await deposits(b.company.id)).map((d) => d.amount / MICRO)).toEqual([1000, 250]);
    expect(await available(b.company.id)).toBe(250 - 200 + 1000);
    expect((await wallet(env, b.company.id).audit()).ok).toBe(true);
  });

  it("each new crossing refills again; staying below does not", async () => {
    const b = await refilling({ credits: 60, threshold: 50, refillBundle: "starter" });
    await spend(b.company.id, 15); // 45: crosses
    await eventually(async () => (await status(b)).recentRefills[0]?.status === "paid", "first refill");
    expect(await available(b.company.id)).toBe(45 + 55);
    await spend(b.company.id, 60); // 40: crosses again
    await eventually(async () => (await status(b)).recentRefills.filter((r) => r.status === "paid").length === 2, "second refill");
    const refills = (await status(b)).recentRefills;
    expect(refills.map((r) => [r.credits, r.priceCents])).toEqual([
      [55, 2500],
      [55, 2500],
    ]);
    await spend(b.company.id, 10); // 85: no crossing
    await spend(b.company.id, 40); // 45: crosses a third time
    await eventually(async () => (await status(b)).recentRefills.filter((r) => r.status === "paid").length === 3, "third refill");
    await spend(b.company.id, 50); // 50
    await eventually(async () => (await wallet(env, b.company.id).crossings()).pending.length === 0, "crossings handled");
    expect((await status(b)).recentRefills).toHaveLength(3);
    expect(await crossingsRecorded(b.company.id)).toBe(3);
  });

  it("turned off, it disarms the wallet's watch and refills nothing", async () => {
    const b = await refilling({ credits: 100, threshold: 50 });
    expect((await wallet(env, b.company.id).crossings()).watches.auto_refill).toBe(50 * MICRO);
    await b.api.billing.autoRefill.set.mutate({ enabled: false, thresholdCredits: 50, refillCredits: 100 });
    expect((await wallet(env, b.company.id).crossings()).watches.auto_refill).toBeNull();
    await spend(b.company.id, 80);
    expect((await wallet(env, b.company.id).crossings()).pending).toEqual([]);
    expect((await status(b)).recentRefills).toEqual([]);
    expect(await available(b.company.id)).toBe(20);
  });
});

describe("auto-refill and alerts on the metered path", () => {
  it("100 concurrent metered requests crossing both thresholds: one refill, one alert, every request served", async () => {
    // $0.50 a request = 1 credit; the buyer starts with nothing and buys 150 credits by card.
    const { endpoint, buyer: b, key } = await h.listedEndpoint({ rows: 20, priceUsd: "0.50", buyerCredits: 0 });
    await buy(b.api, b.company.id, { kind: "on_demand", credits: 150 });
    await b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 100, refillCredits: 500 });
    // The alert's threshold is above the refill's, so both are crossed before the refill can land.
    await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 120, webhookUrl: `${env.TEST_ORIGIN_URL}/alerts?company=${b.company.id}` });

    const responses = await Promise.all(Array.from({ length: 100 }, () => rest(`/v1/endpoints/${endpoint.id}?page_size=5`, { key })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(100);

    await eventually(async () => (await status(b)).recentRefills[0]?.status === "paid", "the refill");
    await eventually(async () => (await b.api.billing.lowBalanceAlert.history.query()).items[0]?.status === "delivered", "the alert");
    await eventually(async () => (await wallet(env, b.company.id).crossings()).pending.length === 0, "crossings handled");
    expect(await crossingsRecorded(b.company.id)).toBe(2);
    expect((await status(b)).recentRefills).toHaveLength(1);
    expect((await b.api.billing.lowBalanceAlert.history.query()).items).toHaveLength(1);
    expect(await available(b.company.id)).toBe(150 - 100 + 500);
  });
});

describe("auto-refill: a failing card", () => {
  it("records each failure, retries with backoff, and turns itself off after 3 in a row", async () => {
    const b = await refilling({ credits: 100, threshold: 50, refillCredits: 200 });
    const customer = await customerOf(b.company.id);
    await stripe.control(`/customers/${customer}/card`, { outcome: "decline" });
    await spend(b.company.id, 60);

    const first = await eventually(async () => {
      const s = await status(b);
      return s.consecutiveFailures === 1 ? s : null;
    }, "the first failure");
    expect(first).toMatchObject({ enabled: true, disabledReason: null });
    expect(first.lastFailureReason).toMatch(/declined/i);
    expect(first.recentRefills[0]).toMatchObject({ status: "pending", attempts: 1 });
    expect(first.recentRefills[0]!.failureReason).toMatch(/Retrying in 60 s/);
    // The crossing left the wallet for the queue, which redelivers it after the backoff.
    expect((await wallet(env, b.company.id).crossings()).pending).toEqual([]);
    expect(await available(b.company.id)).toBe(40);

    const crossing = crossingOf(b.company.id, await crossingsRecorded(b.company.id), "auto_refill");
    const second = await redeliver(crossing, 2);
    expect(second.retryDelays).toEqual([300]);
    expect(await status(b)).toMatchObject({ consecutiveFailures: 2, enabled: true });
    expect((await redeliver(crossing, 3)).explicitAcks).toEqual(["again-3"]);
    const off = await status(b);
    expect(off).toMatchObject({ consecutiveFailures: 3, enabled: false });
    expect(off.disabledReason).toMatch(/after 3 failed payments/);
    expect(off.recentRefills).toHaveLength(1);
    expect(off.recentRefills[0]).toMatchObject({ status: "failed", attempts: 3 });
    const walletState = await wallet(env, b.company.id).crossings();
    expect(walletState).toEqual({ watches: { low_balance: null, auto_refill: null }, pending: [] });

    // The failed payments' webhooks credit nothing.
    await deliver(await eventsFor(b.company.id));
    expect(await available(b.company.id)).toBe(40);
    expect((await deposits(b.company.id)).length).toBe(1);

    // Fixed card, turned on again: the count starts over and the next crossing refills.
    await stripe.control(`/customers/${customer}/card`, { outcome: "succeed" });
    expect(await b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 50, refillCredits: 200 })).toMatchObject({
      enabled: true,
      consecutiveFailures: 0,
      disabledReason: null,
    });
    await client(await adminKey()).admin.grant.mutate({ companyId: b.company.id, credits: 20, reason: "test funds" }); // 60
    await spend(b.company.id, 15); // 45: crosses
    await eventually(async () => (await status(b)).recentRefills[0]?.status === "paid", "the refill after the fix");
    expect(await available(b.company.id)).toBe(245);
    expect((await status(b)).consecutiveFailures).toBe(0);
  });
});

describe("auto-refill settings", () => {
  it("needs a card saved by an earlier purchase", async () => {
    const b = await h.buyer();
    await expectCode(b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 50, refillCredits: 100 }), "BAD_REQUEST");
    expect(await status(b)).toMatchObject({ enabled: false, thresholdCredits: null });
  });

  it("refuses bad amounts and unknown bundles", async () => {
    const b = await refilling({ credits: 10, threshold: 5 });
    await expectCode(b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 50, refillCredits: 9 }), "INVALID_AMOUNT");
    await expectCode(b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 50, refillCredits: 10.5 }), "INVALID_AMOUNT");
    await expectCode(b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 0, refillCredits: 10 }), "INVALID_AMOUNT");
    await expectCode(b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 50, refillBundle: "mega" }), "NOT_FOUND");
    await expectCode(b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 50 }), "BAD_REQUEST");
    await expectCode(b.api.billing.autoRefill.set.mutate({ enabled: true, thresholdCredits: 50, refillCredits: 10, refillBundle: "starter" }), "BAD_REQUEST");
    // Unchanged by the refusals.
    expect(await status(b)).toMatchObject({ enabled: true, thresholdCredits: 5, refillCredits: 100 });
  });
});
