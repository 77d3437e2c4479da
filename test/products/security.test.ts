import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { datasetSql } from "../data/helpers";
import { h, expectCode, rest } from "../harness";

describe("buyer values never become SQL", () => {
  // Each attempt and what it must get: a bound value that matches nothing is a
  // billed 200 with no rows; anything that isn't a declared parameter, sort or
  // number is a 400 that bills nothing.
  const bound = "matches nothing";
  const attempts: [query: string, outcome: typeof bound | RegExp][] = [
    ["?region=EU'; DROP TABLE products; --", bound],
    ["?region=%22%20OR%201%3D1%20--", bound],
    ["?min_population=1;DELETE FROM companies", /min_population/],
    ["?sort=population;DROP TABLE products", /sort/],
    ["?sort=c_0", /sort/],
    ["?sort=secret", /sort/],
    ["?region[$ne]=x", /region\[\$ne\]/],
    ["?c_1=EU", /c_1/],
    ["?region=EU&region=US", /region/],
  ];

  it("binds or refuses every injection attempt, as declared, and leaks no SQL", async () => {
    const { seller, endpoint, buyer, key, source } = await h.listedEndpoint({ rows: 20, buyerCredits: 10 });
    for (const [query, outcome] of attempts) {
      const { status, body } = await rest(`/v1/endpoints/${endpoint.id}${query}`, { key });
      expect(JSON.stringify(body).toLowerCase(), query).not.toMatch(/sqlite|select |syntax|ds_[0-9a-f]/);
      if (outcome === bound) {
        expect([status, body.data, body.billing.billed], query).toEqual([200, [], true]);
        continue;
      }
      expect([status, body.error.code, body.billing.billed], query).toEqual([400, "INVALID_FILTER", false]);
      expect(body.error.message, query).toMatch(outcome);
    }
    // Everything is still there: the products and companies, and every row of the dataset.
    const still = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM products WHERE id = ?1) AS products, (SELECT count(*) FROM companies WHERE id IN (?2, ?3)) AS companies",
    )
      .bind(endpoint.id, seller.company.id, buyer.company.id)
      .first();
    expect(still).toEqual({ products: 1, companies: 2 });
    const rows = await datasetSql(source).prepare("SELECT count(*) AS n FROM data").first<{ n: number }>();
    expect(rows!.n).toBe(20);
    // The two bound attempts were billed ($0.50, one credit each), nothing else.
    const charges = (await buyer.api.credits.history.query({ kinds: ["charge"] })).items;
    expect(charges.map((c) => c.credits)).toEqual([-1, -1]);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(8);
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

    const [customer] = (await owner.api.products.customers.query({ id: endpoint.id })).items;
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
    const [customer] = (await owner.api.products.customers.query({ id: endpoint.id })).items;
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
    expect((await buyer.api.marketplace.search.query({ query: "Draft" })).items).toEqual([]);
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

