import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { datasetSql } from "../data/helpers";
import { h, citiesSpec, expectCode, rest } from "../harness";

describe("buyer values never become SQL", () => {
  const attempts = [
    "?region=EU'; DROP TABLE products; --",
    "?region=%22%20OR%201%3D1%20--",
    "?min_population=1;DELETE FROM companies",
    "?sort=population;DROP TABLE products",
    "?sort=c_0",
    "?sort=secret",
    "?region[$ne]=x",
    "?c_1=EU",
    "?region=EU&region=US",
  ];

  it("refuses or binds every injection attempt, bills none, leaks no SQL", async () => {
    const { endpoint, buyer, key, source } = await h.listedEndpoint({ rows: 20, buyerCredits: 10 });
    for (const query of attempts) {
      const { status, body } = await rest(`/v1/endpoints/${endpoint.id}${query}`, { key });
      if (status === 200) {
        // A bound value matches nothing; it is still a billed 200 with zero rows.
        expect(body.data, query).toEqual([]);
        continue;
      }
      expect(status, query).toBe(400);
      expect(body.error.code, query).toBe("INVALID_FILTER");
      expect(body.billing.billed).toBe(false);
      expect(JSON.stringify(body).toLowerCase(), query).not.toMatch(/sqlite|select |syntax|ds_[0-9a-f]/);
    }
    // Everything is still there.
    const tables = await env.DB.prepare("SELECT count(*) AS n FROM products").first<{ n: number }>();
    expect(tables!.n).toBeGreaterThan(0);
    const rows = await datasetSql(source).prepare("SELECT count(*) AS n FROM data").first<{ n: number }>();
    expect(rows!.n).toBe(20);
    const billed = (await buyer.api.credits.history.query({ kinds: ["charge"] })).items.length;
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(10 - billed);
  });
});

describe("another company can't touch a seller's products or keys", () => {
  it("refuses reads, edits, prices and key revocations across companies", async () => {
    const { seller: owner, endpoint, buyer } = await h.listedEndpoint();
    const other = await h.seller({ name: "Rival Data" });
    await expectCode(other.api.products.get.query({ id: endpoint.id }), "NOT_FOUND");
    await expectCode(other.api.products.update.mutate({ id: endpoint.id, name: "Hijacked" }), "NOT_FOUND");
    await expectCode(other.api.products.setPrice.mutate({ id: endpoint.id, priceUsd: "0.0001" }), "NOT_FOUND");
    await expectCode(other.api.products.customers.query({ id: endpoint.id }), "NOT_FOUND");
    await expectCode(other.api.products.priceHistory.query({ id: endpoint.id }), "NOT_FOUND");
    await expectCode(other.api.products.try.query({ id: endpoint.id, params: {} }), "NOT_FOUND");

    const [customer] = await owner.api.products.customers.query({ id: endpoint.id });
    expect(customer).toMatchObject({ buyerCompanyId: buyer.company.id, revokedAt: null });
    await expectCode(other.api.products.revokeCustomerKey.mutate({ keyId: customer!.id }), "NOT_FOUND");
    await expectCode(other.api.marketplace.endpoints.revokeKey.mutate({ keyId: customer!.id }), "NOT_FOUND");

    const mine = await owner.api.products.get.query({ id: endpoint.id });
    expect(mine).toMatchObject({ name: "City populations", priceUsd: 0.5 });
  });

  it("can't build a product on another company's data source", async () => {
    const owner = await h.seller();
    const source = await h.dataset(owner.company.id, "id,city\n1,Oslo");
    const other = await h.seller({ name: "Rival Data" });
    await expectCode(
      h.endpoint(other, { name: "Stolen", dataSourceId: source.id, spec: {}, priceUsd: "1" }),
      "NOT_FOUND",
    );
  });

  it("lets the seller cut one buyer off, for good", async () => {
    const { seller: owner, endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    const [customer] = await owner.api.products.customers.query({ id: endpoint.id });
    await owner.api.products.revokeCustomerKey.mutate({ keyId: customer!.id });
    const { status, body } = await rest(`/v1/endpoints/${endpoint.id}`, { key });
    expect([status, body.error.code, body.billing.billed]).toEqual([401, "KEY_REVOKED", false]);
    await expectCode(buyer.api.marketplace.endpoints.key.mutate({ id: endpoint.id }), "FORBIDDEN");
  });

  it("hides unlisted products from other companies", async () => {
    const owner = await h.seller();
    const source = await h.dataset(owner.company.id, "id,city\n1,Oslo");
    const draft = await h.endpoint(owner, {
      name: "Draft",
      description: "Not ready",
      category: "Geo",
      dataSourceId: source.id,
      spec: {},
      priceUsd: "1",
    });
    expect(draft.listed).toBe(false);
    const buyer = await h.buyer({ name: "Curious Buyer" });
    await expectCode(buyer.api.marketplace.get.query({ id: draft.id }), "NOT_FOUND");
    await expectCode(buyer.api.marketplace.endpoints.key.mutate({ id: draft.id }), "NOT_FOUND");
    expect(await buyer.api.marketplace.search.query({ query: "Draft" })).toEqual([]);
  });

  it("refuses listing for a seller that can't sell yet", async () => {
    const unverified = await h.seller({ name: "New Seller", verified: false, buyer: true });
    const source = await h.dataset(unverified.company.id, "id,city\n1,Oslo");
    await expectCode(
      h.endpoint(unverified, { name: "Early", dataSourceId: source.id, spec: {}, priceUsd: "1", sellInMarketplace: true }),
      "FORBIDDEN",
    );
  });
});

void citiesSpec;
