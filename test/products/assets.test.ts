import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { h, citiesCsv, eventually, expectCode, rest } from "../harness";

async function listedAssets() {
  const s = await h.seller();
  const source = await h.dataset(s.company.id, citiesCsv(10));
  const { total, chart } = await h.cityAssets(s, source.id, { total: "5", chart: "2.50" });
  return { seller: s, total, chart };
}

describe("assets: subscribe is free, processing is billed once per success", () => {
  it("quotes, subscribes for free, processes, and re-reads the stored result free", async () => {
    const { total } = await listedAssets();
    const buyer = await h.buyer({ credits: 30 });
    expect(total.preview).toMatchObject({ type: "calculation", value: 55_000 });

    expect(await buyer.api.marketplace.quote.query({ id: total.id })).toMatchObject({
      priceUsd: 5,
      credits: 10,
      availableCredits: 30,
      balanceAfter: 20,
      affordable: true,
      billedPer: "execution",
    });

    await buyer.api.marketplace.subscribe.mutate({ id: total.id });
    expect((await buyer.api.marketplace.library.query()).items.map((l) => l.productId)).toEqual([total.id]);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(30);

    const run = await buyer.api.marketplace.process.mutate({ id: total.id, params: { region: "EU" } });
    expect(run.billing).toMatchObject({ billed: true, credits: 10 });
    expect(run.purchase.result).toEqual({ type: "calculation", value: 25_000, kind: "number" });
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(20);

    const stored = await buyer.api.marketplace.purchase.query({ id: run.purchase.id });
    expect(stored.result).toEqual(run.purchase.result);
    expect((await buyer.api.marketplace.purchases.query({})).items).toMatchObject([{ id: run.purchase.id, credits: 10, priceUsd: 5 }]);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(20);
  });

  it("processing an asset puts it in the library; a failed run does not", async () => {
    const { total, chart } = await listedAssets();
    const buyer = await h.buyer({ credits: 30 });
    expect((await buyer.api.marketplace.library.query()).items).toEqual([]);
    await buyer.api.marketplace.process.mutate({ id: chart.id, params: {} });
    expect((await buyer.api.marketplace.library.query()).items.map((l) => l.productId)).toEqual([chart.id]);
    await expectCode(buyer.api.marketplace.process.mutate({ id: total.id, params: { nope: 1 } }), "INVALID_FILTER");
    expect((await buyer.api.marketplace.library.query()).items.map((l) => l.productId)).toEqual([chart.id]);
  });

  it("an execution through the REST API puts the asset in the library too; a failed one does not", async () => {
    const { total, chart } = await listedAssets();
    const buyer = await h.buyer({ credits: 30 });
    const execute = (id: string, body: unknown) =>
      rest(`/v1/assets/${id}/executions`, { key: buyer.key, method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    expect((await execute(total.id, { params: { nope: 1 } })).status).toBe(400);
    expect((await buyer.api.marketplace.library.query()).items).toEqual([]);
    expect((await execute(total.id, { params: { region: "EU" } })).status).toBe(200);
    expect((await buyer.api.marketplace.library.query()).items.map((l) => l.productId)).toEqual([total.id]);
    expect((await execute(chart.id, { params: {} })).status).toBe(200);
    expect((await buyer.api.marketplace.library.query()).items.map((l) => l.productId).sort()).toEqual([total.id, chart.id].sort());
  });

  it("writes the library once, on the first success: a warm execution needs no D1", async () => {
    const { total } = await listedAssets();
    const buyer = await h.buyer({ credits: 30 });
    const execute = () =>
      rest(`/v1/assets/${total.id}/executions`, { key: buyer.key, method: "POST", body: JSON.stringify({ params: { region: "EU" } }), headers: { "content-type": "application/json" } });
    expect((await execute()).status).toBe(200);
    await env.DB.exec("ALTER TABLE library RENAME TO library_down");
    try {
      const again = await execute();
      expect(again.status).toBe(200);
      expect(again.body.billing).toMatchObject({ billed: true });
    } finally {
      await env.DB.exec("ALTER TABLE library_down RENAME TO library");
    }
    expect((await buyer.api.marketplace.library.query()).items.map((l) => l.productId)).toEqual([total.id]);
  });

  it("returns a chart's data and an SVG image", async () => {
    const { chart } = await listedAssets();
    const buyer = await h.buyer({ credits: 10 });
    const run = await buyer.api.marketplace.process.mutate({ id: chart.id, params: {} });
    expect(run.billing.credits).toBe(5);
    const result = run.purchase.result as { type: string; chart: { points: { label: string; value: number }[] }; svg: string };
    expect(result.type).toBe("visualization");
    expect(result.chart.points).toEqual([
      { label: "EU", value: 25_000 },
      { label: "US", value: 30_000 },
    ]);
    expect(result.svg).toMatch(/^<svg[^>]+viewBox/);
    expect(result.svg).toContain("Population by region");
  });

  it("puts executions from the marketplace in the seller's request log, failures unbilled", async () => {
    const { seller: s, total } = await listedAssets();
    const buyer = await h.buyer({ credits: 30 });
    const run = await buyer.api.marketplace.process.mutate({ id: total.id, params: { region: "EU" } });
    await expectCode(buyer.api.marketplace.process.mutate({ id: total.id, params: { nope: 1 } }), "INVALID_FILTER");
    await eventually(async () => expect((await s.api.products.requestLog.query({ productId: total.id })).items).toHaveLength(2));
    const log = (await s.api.products.requestLog.query({ productId: total.id })).items;
    expect(log.map((l) => [l.status, l.errorCode, l.billed, l.credits])).toEqual(
      expect.arrayContaining([
        [200, null, true, 10],
        [400, "INVALID_FILTER", false, 0],
      ]),
    );
    expect(log.some((l) => l.id === run.billing.request_id)).toBe(true);
  });

  it("runs over REST with a company key, bills once, and replays with Idempotency-Key", async () => {
    const { total } = await listedAssets();
    const buyer = await h.buyer({ credits: 30 });
    const call = (body: unknown, headers: Record<string, string> = {}) =>
      rest(`/v1/assets/${total.id}/executions`, { key: buyer.key, method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
    const first = await call({ params: { region: "US" } }, { "idempotency-key": "run-1" });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ product_id: total.id, result: { type: "calculation", value: 30_000 } });
    expect(first.body.billing).toMatchObject({ billed: true, credits: 10 });
    const again = await call({ params: { region: "US" } }, { "idempotency-key": "run-1" });
    expect(again.body.data).toEqual(first.body.data);
    expect(again.body.billing).toMatchObject({ billed: false, replayed: true });
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(20);
  });

  it("bills nothing when processing fails", async () => {
    const { total } = await listedAssets();
    const buyer = await h.buyer({ credits: 30 });
    await expectCode(buyer.api.marketplace.process.mutate({ id: total.id, params: { region: 5, nope: 1 } }), "INVALID_FILTER");
    const bad = await rest(`/v1/assets/${total.id}/executions`, { key: buyer.key, method: "POST", body: "{not json" });
    expect([bad.status, bad.body.error.code, bad.body.billing.billed]).toEqual([400, "BAD_REQUEST", false]);

    const s = await h.seller({ name: "Origin Seller" });
    const broken = await h.asset(s, {
      assetKind: "calculation",
      name: "Live score",
      description: "From the seller's API.",
      category: "Live",
      dataSourceId: (await h.origin(s.company.id, "/fail")).id,
      spec: {},
      priceUsd: "1",
      sellInMarketplace: true,
    });
    await expectCode(buyer.api.marketplace.process.mutate({ id: broken.id, params: {} }), "ORIGIN_ERROR");
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(30);
    expect((await buyer.api.marketplace.purchases.query({})).items).toEqual([]);

    const poor = await h.buyer({ credits: 1 });
    await expectCode(poor.api.marketplace.process.mutate({ id: total.id, params: {} }), "INSUFFICIENT_CREDITS");
    expect((await poor.api.marketplace.purchases.query({})).items).toEqual([]);
    expect((await poor.api.marketplace.quote.query({ id: total.id })).affordable).toBe(false);
  });

  it("refuses a read-only key and another company's purchase", async () => {
    const { total } = await listedAssets();
    const buyer = await h.buyer({ credits: 30 });
    const run = await buyer.api.marketplace.process.mutate({ id: total.id, params: {} });
    const other = await h.buyer({ credits: 30, name: "Other Buyer" });
    await expectCode(other.api.marketplace.purchase.query({ id: run.purchase.id }), "NOT_FOUND");
    const reader = await buyer.api.keys.create.mutate({ name: "read", scope: "read" });
    const res = await rest(`/v1/assets/${total.id}/executions`, { key: reader.secret, method: "POST" });
    expect([res.status, res.body.error.code, res.body.billing.billed]).toEqual([403, "FORBIDDEN", false]);
  });
});
