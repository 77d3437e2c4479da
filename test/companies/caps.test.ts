import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { wallet } from "../../src/wallet/client";
import { h, books, citiesCsv, client, drained, expectCode, rest } from "../harness";

const page = (endpointId: string, key: string) => rest(`/v1/endpoints/${endpointId}?page_size=1`, { key });

/** A listed endpoint ($0.50) and asset ($1) of one seller, and a buyer with 100 credits and the endpoint's key. */
async function shop() {
  const { seller, endpoint, buyer, key } = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 100 });
  const source = await h.dataset(seller.company.id, citiesCsv(10));
  const asset = await h.asset(seller, {
    assetKind: "calculation",
    name: "Total",
    description: "Sum.",
    category: "Demographics",
    dataSourceId: source.id,
    spec: { aggregate: { fn: "sum", column: "population" } },
    priceUsd: "1",
    sellInMarketplace: true,
  });
  return { endpoint, asset, buyer, key };
}

/** Milliseconds from the wallet's now to just past the next UTC midnight. */
function toNextUtcDay(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - now + 1_000;
}

describe("spending caps per key, enforced by the wallet", () => {
  it("200 parallel calls on a key capped at 50 credits spend exactly 50; the rest are refused unbilled", async () => {
    // $0.50 a request = 1 credit; the company could pay for 500.
    const { endpoint, buyer, key } = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 500 });
    const [mine] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    const set = await buyer.api.keys.setCaps.mutate({ keyId: mine!.id, totalCredits: 50 });
    expect(set).toMatchObject({ caps: { totalCredits: 50, perDayCredits: null, perMonthCredits: null }, remainingCredits: { total: 50 } });

    const answers = await Promise.all(Array.from({ length: 200 }, () => page(endpoint.id, key)));
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(150);
    expect(refused.every((a) => a.status === 403 && a.body.error.code === "BUDGET_EXCEEDED" && a.body.billing.billed === false)).toBe(true);
    expect(refused[0]!.body.billing.budget).toEqual({ day: null, month: null, total: 0 });
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(450);
    const { charges } = await books(buyer.company.id);
    expect(charges).toEqual({ n: 50, total: -50_000_000 });

    const [usage] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    expect(usage!.usage).toMatchObject({ spentCredits: { total: 50 }, billedCalls: { total: 50 }, remainingCredits: { total: 0 } });
  });

  it("a daily cap starts over at the UTC day boundary, exactly once", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 100 });
    const [mine] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    await buyer.api.keys.setCaps.mutate({ keyId: mine!.id, perDayCredits: 3 });
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await page(endpoint.id, key)).status);
      return out;
    };
    expect(await statuses(4)).toEqual([200, 200, 200, 403]);
    const w = wallet(env, buyer.company.id);
    const now = await w.advanceClock(0);
    await w.advanceClock(toNextUtcDay(now));
    expect(await statuses(4)).toEqual([200, 200, 200, 403]);
    const [usage] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    expect(usage!.usage).toMatchObject({ spentCredits: { day: 3, total: 6 }, remainingCredits: { day: 0 } });
  });

  it("caps on one key never touch another key of the same company", async () => {
    const { endpoint, asset, buyer, key } = await shop();
    const [endpointKey] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    await buyer.api.keys.setCaps.mutate({ keyId: endpointKey!.id, totalCredits: 1 });
    expect((await page(endpoint.id, key)).status).toBe(200);
    expect((await page(endpoint.id, key)).status).toBe(403);
    // The company's API key is another key: its executions are not capped.
    for (let i = 0; i < 3; i++) {
      const run = await rest(`/v1/assets/${asset.id}/executions`, { key: buyer.key, method: "POST", body: "{}", headers: { "content-type": "application/json" } });
      expect(run.body.billing).toMatchObject({ billed: true });
      expect(run.body.billing.budget).toBeUndefined();
    }
  });

  it("an asset's hold counts against its key's cap while it runs", async () => {
    const { asset, buyer } = await shop();
    const keys = (await buyer.api.keys.list.query()).items;
    await buyer.api.keys.setCaps.mutate({ keyId: keys[0]!.id, totalCredits: 10 });
    const runs = await Promise.all(
      Array.from({ length: 20 }, () => rest(`/v1/assets/${asset.id}/executions`, { key: buyer.key, method: "POST", body: "{}", headers: { "content-type": "application/json" } })),
    );
    expect(runs.filter((r) => r.status === 200)).toHaveLength(5);
    expect(runs.filter((r) => r.status === 403 && r.body.error.code === "BUDGET_EXCEEDED")).toHaveLength(15);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(90);
    await drained(buyer.company.id);
  });

  it("only a company admin sets caps, and only on the company's own keys", async () => {
    const { buyer } = await h.listedEndpoint({ buyerCredits: 10 });
    const [endpointKey] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    const full = await buyer.api.keys.create.mutate({ name: "worker", scope: "full" });
    await expectCode(client(full.secret).keys.setCaps.mutate({ keyId: endpointKey!.id, totalCredits: 5 }), "FORBIDDEN");
    const stranger = await h.buyer({ name: "Stranger Co" });
    await expectCode(stranger.api.keys.setCaps.mutate({ keyId: endpointKey!.id, totalCredits: 5 }), "NOT_FOUND");
    await expectCode(buyer.api.keys.setCaps.mutate({ keyId: endpointKey!.id, totalCredits: -1 as never }), "INVALID_AMOUNT");
    // Lifting every cap.
    await buyer.api.keys.setCaps.mutate({ keyId: endpointKey!.id, totalCredits: 5 });
    expect(await buyer.api.keys.setCaps.mutate({ keyId: endpointKey!.id, totalCredits: null })).toMatchObject({ caps: null, remainingCredits: null });
  });
});
