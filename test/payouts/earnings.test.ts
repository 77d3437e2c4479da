import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { wallet } from "../../src/wallet/client";
import { sell, utc } from "./helpers";
import { h, adminKey, citiesCsv, citiesSpec, client, drained, expectCode, rest } from "../harness";

/** A seller able to sell with a listed endpoint ($0.50 a request) and a listed asset ($2 an execution). */
async function listedShop(name: string) {
  const s = await h.seller({ name });
  const source = await h.dataset(s.company.id, citiesCsv(10), "Cities", ["region"]);
  const common = { description: "Cities and their people.", category: "Demographics", dataSourceId: source.id, sellInMarketplace: true };
  const endpoint = await h.endpoint(s, { ...common, name: `${name} city feed`, spec: citiesSpec, priceUsd: "0.50" });
  const asset = await h.asset(s, {
    ...common,
    assetKind: "calculation",
    name: `${name} population score`,
    spec: { aggregate: { fn: "sum", column: "population" } },
    priceUsd: "2",
  });
  return { ...s, endpoint, asset };
}

describe("GET /companies/:companyId/earnings", () => {
  it("has the source document's shape, from real billed requests and executions", async () => {
    const shop = await listedShop("Churn Works");
    const buyer = await h.buyer({ credits: 100, name: "Earnings Buyer" });
    const key = await buyer.api.marketplace.endpoints.key.mutate({ id: shop.endpoint.id });
    for (let i = 0; i < 3; i++) expect((await rest(`/v1/endpoints/${shop.endpoint.id}?page_size=2`, { key: key.secret! })).status).toBe(200);
    // A failed request is not billed and earns nothing.
    expect((await rest(`/v1/endpoints/${shop.endpoint.id}?page_size=0`, { key: key.secret! })).status).toBe(400);
    await buyer.api.marketplace.process.mutate({ id: shop.asset.id, params: {} });
    await buyer.api.marketplace.process.mutate({ id: shop.asset.id, params: {} });
    await drained(buyer.company.id);

    const { status, body } = await rest(`/companies/${shop.company.id}/earnings`, { key: shop.key });
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["data"]);
    expect(Object.keys(body.data).sort()).toEqual(["asset_executions_30d", "endpoint_requests_30d", "pending_payout_usd", "top_product", "total_earned_usd"]);
    expect(body.data).toEqual({
      pending_payout_usd: 4.4,
      total_earned_usd: 4.4,
      asset_executions_30d: 2,
      endpoint_requests_30d: 3,
      // Ranked by what it earned: the asset's 2 sales ($3.20) over the endpoint's 3 ($1.20).
      top_product: { name: "Churn Works population score", type: "ASSET", transactions_30d: 2, revenue_30d: 3.2 },
    });

    const summary = await shop.api.earnings.summary.query();
    expect(summary).toMatchObject({
      pendingPayoutUsd: 4.4,
      totalEarnedUsd: 4.4,
      assetExecutions30d: 2,
      endpointRequests30d: 3,
      topProduct: { productId: shop.asset.id, type: "ASSET", transactions30d: 2, revenue30d: 3.2 },
      exact: { pendingPayoutUsd: 4.4, totalEarnedUsd: 4.4 },
    });
  });

  it("answers zeros and no top product for a seller without sales", async () => {
    const shop = await listedShop("Quiet Shop");
    const { body } = await rest(`/companies/${shop.company.id}/earnings`, { key: shop.key });
    expect(body.data).toEqual({ pending_payout_usd: 0, total_earned_usd: 0, asset_executions_30d: 0, endpoint_requests_30d: 0, top_product: null });
  });

  it("shows dollars to the cent, computed from exact micro-dollar sums", async () => {
    const shop = await listedShop("Precise Shop");
    const buyer = await h.buyer({ credits: 1_000_000, name: "Precise Buyer" });
    // Shares of 0.123456 seven times and 0.000001 once: 0.864193 in all, 0.86 to the cent.
    const now = Date.now();
    await sell(buyer.company.id, [
      ...Array.from({ length: 7 }, () => ({ seller: shop, type: "endpoint" as const, priceUsd: 154_320, at: now })),
      { seller: shop, type: "endpoint", priceUsd: 2, at: now },
    ]);
    const { body } = await rest(`/companies/${shop.company.id}/earnings`, { key: shop.key });
    expect(body.data).toMatchObject({ total_earned_usd: 0.86, pending_payout_usd: 0.86, endpoint_requests_30d: 8 });
    expect(body.data.top_product).toMatchObject({ type: "ENDPOINT", transactions_30d: 8, revenue_30d: 0.86 });
    expect((await shop.api.earnings.summary.query()).exact.totalEarnedUsd).toBe(0.864193);
  });

  it("lets nobody else read a seller's earnings", async () => {
    const shop = await listedShop("Private Shop");
    const other = await h.buyer({ name: "Snooping Co" });
    const denied = await rest(`/companies/${shop.company.id}/earnings`, { key: other.key });
    expect(denied.status).toBe(404);
    expect(denied.body.error).toMatchObject({ code: "NOT_FOUND" });
    expect((await rest(`/companies/co_doesnotexist/earnings`, { key: other.key })).status).toBe(404);
    expect((await rest(`/companies/${shop.company.id}/earnings`)).body.error.code).toBe("UNAUTHORIZED");
    // Read-only keys of the seller and platform admins may read it.
    const readKey = await shop.api.keys.create.mutate({ name: "dashboard", scope: "read" });
    expect((await rest(`/companies/${shop.company.id}/earnings`, { key: readKey.secret })).status).toBe(200);
    expect((await rest(`/companies/${shop.company.id}/earnings`, { key: await adminKey() })).status).toBe(200);
    // tRPC reads are always the caller's own.
    expect((await other.api.earnings.summary.query()).totalEarnedUsd).toBe(0);
    await expectCode(client().earnings.summary.query(), "UNAUTHORIZED");
  });
});

describe("earnings breakdown (tRPC)", () => {
  it("keeps sub-cent earnings exact over time, so the chart can add them up", async () => {
    const shop = await listedShop("Penny Shop");
    const buyer = await h.buyer({ credits: 1_000_000, name: "Penny Buyer" });
    await sell(buyer.company.id, [
      { seller: shop, type: "endpoint", priceUsd: 5_000, at: utc(2034, 1, 5) },
      { seller: shop, type: "endpoint", priceUsd: 5_000, at: utc(2034, 1, 6) },
    ]);
    const months = await shop.api.earnings.breakdown.query({ from: utc(2034, 1, 1), to: utc(2034, 2, 1), granularity: "month" });
    // Two sales at $0.005 earn the seller $0.004 each: $0.008 in the month, shown as $0.01.
    expect(months.overTime.map((b) => [b.period, b.sales, b.earningsUsd, b.exactEarningsUsd])).toEqual([["2034-01", 2, 0.01, 0.008]]);
  });

  it("itemizes by product type, by product, and per month or day", async () => {
    const shop = await listedShop("Ledger Shop");
    const buyer = await h.buyer({ credits: 1_000_000, name: "Breakdown Buyer" });
    await sell(buyer.company.id, [
      { seller: shop, type: "asset", priceUsd: 2_000_000, at: utc(2033, 1, 5, 10) },
      { seller: shop, type: "asset", priceUsd: 2_000_000, at: utc(2033, 1, 5, 11) },
      { seller: shop, type: "endpoint", priceUsd: 500_000, at: utc(2033, 1, 20) },
      { seller: shop, type: "endpoint", priceUsd: 500_000, at: utc(2033, 2, 1) },
      { seller: shop, type: "endpoint", priceUsd: 500_000, at: utc(2033, 3, 1) },
    ]);
    const months = await shop.api.earnings.breakdown.query({ from: utc(2033, 1, 1), to: utc(2033, 3, 1), granularity: "month" });
    expect(months.totalUsd).toBe(4);
    expect(months.byType).toEqual([
      { type: "ASSET", sales: 2, refunds: 0, earningsUsd: 3.2, exactEarningsUsd: 3.2 },
      { type: "ENDPOINT", sales: 2, refunds: 0, earningsUsd: 0.8, exactEarningsUsd: 0.8 },
    ]);
    expect(months.byProduct.map((p) => [p.name, p.type, p.sales, p.earningsUsd])).toEqual([
      ["Ledger Shop population score", "ASSET", 2, 3.2],
      ["Ledger Shop city feed", "ENDPOINT", 2, 0.8],
    ]);
    expect(months.overTime.map((b) => [b.period, b.type, b.sales, b.earningsUsd])).toEqual([
      ["2033-01", "ASSET", 2, 3.2],
      ["2033-01", "ENDPOINT", 1, 0.4],
      ["2033-02", "ENDPOINT", 1, 0.4],
    ]);
    const days = await shop.api.earnings.breakdown.query({ from: utc(2033, 1, 1), to: utc(2033, 2, 1), granularity: "day" });
    expect(days.overTime.map((b) => [b.period, b.sales])).toEqual([
      ["2033-01-05", 2],
      ["2033-01-20", 1],
    ]);
    await expectCode(shop.api.earnings.breakdown.query({ from: utc(2033, 2, 1), to: utc(2033, 1, 1) }), "BAD_REQUEST");
    // Another company sees only its own (nothing).
    const other = await h.buyer({ name: "Other Shop" });
    expect((await other.api.earnings.breakdown.query({ from: utc(2033, 1, 1), to: utc(2033, 3, 1), granularity: "month" })).byProduct).toEqual([]);
  });
});
