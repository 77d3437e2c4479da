import { describe, expect, it } from "vitest";
import { h, citiesCsv, citiesSpec, rest } from "../harness";

describe("marketplace search", () => {
  it("ranks a product whose Top Questions match above one that doesn't", async () => {
    const s = await h.seller();
    const source = await h.dataset(s.company.id, citiesCsv(5));
    const base = { category: "Finance", dataSourceId: source.id, spec: citiesSpec, priceUsd: "0.10", sellInMarketplace: true };
    const plain = await h.endpoint(s, { ...base, name: "Customer table", description: "Customer rows with churn flags and revenue." });
    const answering = await h.endpoint(s, {
      ...base,
      name: "Customer feed",
      description: "Customer rows.",
      topQuestions: ["Which customers are likely to churn next quarter?"],
    });
    const buyer = await h.buyer({ name: "Searcher" });
    const hits = (await buyer.api.marketplace.search.query({ query: "which customers will churn" })).items;
    expect(hits.map((h) => h.id).slice(0, 2)).toEqual([answering.id, plain.id]);
    expect(hits[0]).toMatchObject({ priceUsd: 0.1, priceCredits: 0.2, seller: { name: "Northwind Data" } });
  });

  it("filters by type, kind, tags, category and price, and pages", async () => {
    const s = await h.seller();
    const source = await h.dataset(s.company.id, citiesCsv(5));
    const common = { description: "About cities.", dataSourceId: source.id, sellInMarketplace: true };
    const cheap = await h.endpoint(s, { ...common, name: "Cheap cities", category: "Geo", tags: ["cities"], spec: citiesSpec, priceUsd: "0.05" });
    const pricey = await h.endpoint(s, { ...common, name: "Premium cities", category: "Geo", tags: ["cities", "premium"], spec: citiesSpec, priceUsd: "20" });
    const calc = await h.asset(s, { ...common, assetKind: "calculation", name: "City count", category: "Stats", spec: { aggregate: { fn: "count" } }, priceUsd: "1" });
    const buyer = await h.buyer({ name: "Filterer" });
    const ids = async (input: Parameters<typeof buyer.api.marketplace.search.query>[0]) => (await buyer.api.marketplace.search.query(input)).items.map((h) => h.id).sort();
    expect(await ids({ query: "cities", type: "endpoint" })).toEqual([cheap.id, pricey.id].sort());
    expect(await ids({ assetKind: "calculation" })).toContain(calc.id);
    expect(await ids({ tags: ["premium"] })).toEqual([pricey.id]);
    expect(await ids({ category: "Stats" })).toEqual([calc.id]);
    expect(await ids({ query: "cities", type: "endpoint", maxPriceUsd: 1 })).toEqual([cheap.id]);
    expect(await ids({ query: "cities", minPriceUsd: 10 })).toEqual([pricey.id]);
    expect((await buyer.api.marketplace.search.query({ query: "cities", limit: 1 })).items).toHaveLength(1);
    // FTS syntax in the query is just words.
    expect((await buyer.api.marketplace.search.query({ query: 'cities" OR name:* NEAR(' })).items).not.toHaveLength(0);
  });
});

describe("endpoint keys through the marketplace", () => {
  it("provisions the buyer's key on the first fetch, once, and bills like REST", async () => {
    const { endpoint } = await h.listedEndpoint({ rows: 10, priceUsd: "0.50" });
    const buyer = await h.buyer({ credits: 10, name: "First-time Buyer" });
    const first = await buyer.api.marketplace.endpoints.fetch.mutate({ id: endpoint.id, params: { region: "US" }, pageSize: 2 });
    expect(first.key.secret).toMatch(/^tse_/);
    expect(first.page.data).toHaveLength(2);
    expect(first.page.billing).toMatchObject({ billed: true, credits: 1 });

    const second = await buyer.api.marketplace.endpoints.fetch.mutate({ id: endpoint.id, params: {} });
    expect(second.key.id).toBe(first.key.id);
    expect(second.key.secret).toBeUndefined();

    const viaRest = await rest(`/v1/endpoints/${endpoint.id}?page_size=1`, { key: first.key.secret! });
    expect(viaRest.status).toBe(200);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(7);
    expect((await buyer.api.marketplace.endpoints.keys.query()).items).toMatchObject([{ id: first.key.id, endpointName: "City populations" }]);
  });

  it("gives each buyer company its own key, and rotates a key the buyer revoked", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint();
    const other = await h.buyer({ credits: 5, name: "Second Buyer" });
    const otherKey = await other.api.marketplace.endpoints.key.mutate({ id: endpoint.id });
    expect(otherKey.secret).not.toBe(key);
    const [mine] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    await buyer.api.marketplace.endpoints.revokeKey.mutate({ keyId: mine!.id });
    const fresh = await buyer.api.marketplace.endpoints.key.mutate({ id: endpoint.id });
    expect(fresh.secret).toMatch(/^tse_/);
    expect((await rest(`/v1/endpoints/${endpoint.id}`, { key: fresh.secret })).status).toBe(200);
  });

  it("provisions one key when two first fetches race", async () => {
    const { endpoint } = await h.listedEndpoint();
    const buyer = await h.buyer({ credits: 5, name: "Racing Buyer" });
    const keys = await Promise.all(Array.from({ length: 10 }, () => buyer.api.marketplace.endpoints.key.mutate({ id: endpoint.id })));
    expect(new Set(keys.map((k) => k.id)).size).toBe(1);
    expect(keys.filter((k) => k.secret)).toHaveLength(1);
  });
});
