import { describe, expect, it } from "vitest";
import { h, citiesSpec, expectCode, rest } from "../harness";

const get = (endpointId: string, key: string, query: string) => rest(`/v1/endpoints/${endpointId}${query}`, { key });

describe("endpoint cursors over REST", () => {
  it("walk a filtered, sorted endpoint to its end; a cursor of another endpoint, or an edited one, is refused unbilled", async () => {
    const { seller, source, endpoint, buyer, key } = await h.listedEndpoint({ rows: 1000, priceUsd: "0.50", buyerCredits: 100 });
    // A second endpoint of the same seller over the same dataset, with the same spec.
    const twin = await h.endpoint(seller, {
      name: "City populations again",
      description: "The same rows.",
      category: "Demographics",
      dataSourceId: source.id,
      spec: citiesSpec,
      priceUsd: "0.50",
      sellInMarketplace: true,
    });
    const twinKey = (await buyer.api.marketplace.endpoints.key.mutate({ id: twin.id })).secret!;

    const ids: number[] = [];
    let cursor: string | null = null;
    let calls = 0;
    do {
      const query: string = `?region=US&sort=-population&page_size=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { status, body } = await get(endpoint.id, key, query);
      expect(status).toBe(200);
      ids.push(...body.data.map((r: { id: number }) => r.id));
      cursor = body.pagination.next_cursor;
      calls++;
    } while (cursor);
    expect(calls).toBe(5);
    expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => 1000 - 2 * i));

    const first = await get(endpoint.id, key, "?region=US&sort=-population&page_size=100");
    const balance = (await buyer.api.credits.balance.query()).availableCredits;
    const next = encodeURIComponent(first.body.pagination.next_cursor);

    const other = await get(twin.id, twinKey, `?region=US&sort=-population&page_size=100&cursor=${next}`);
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ code: "INVALID_FILTER", message: 'Parameter "cursor" was issued by another endpoint.' });
    expect(other.body.billing).toMatchObject({ billed: false, credits: 0 });

    const edited = encodeURIComponent(`${first.body.pagination.next_cursor.slice(0, -2)}AA`);
    const forged = await get(endpoint.id, key, `?region=US&sort=-population&page_size=100&cursor=${edited}`);
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe("INVALID_FILTER");
    expect(forged.body.billing.billed).toBe(false);

    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(balance);
    expect((await get(endpoint.id, key, `?region=US&sort=-population&page_size=100&cursor=${next}`)).status).toBe(200);
  });
});

describe("a seller's Try it", () => {
  it("pages an endpoint 20 rows at a time with the cursor it answered, free; an edited cursor is INVALID_FILTER", async () => {
    const { seller, endpoint } = await h.listedEndpoint({ rows: 45 });
    const first = await seller.api.products.try.query({ id: endpoint.id, params: {} });
    if (first.type !== "rows") throw new Error(`expected rows, got ${first.type}`);
    expect(first.rows.map((r) => (r as { id: number }).id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const second = await seller.api.products.try.query({ id: endpoint.id, params: {}, cursor: first.nextCursor! });
    if (second.type !== "rows") throw new Error(`expected rows, got ${second.type}`);
    expect(second.rows.map((r) => (r as { id: number }).id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 21));
    const third = await seller.api.products.try.query({ id: endpoint.id, params: {}, cursor: second.nextCursor! });
    expect(third).toMatchObject({ type: "rows", nextCursor: null });
    if (third.type === "rows") expect(third.rows).toHaveLength(5);
    await expectCode(seller.api.products.try.query({ id: endpoint.id, params: {}, cursor: `${first.nextCursor!.slice(0, -2)}AA` }), "INVALID_FILTER");
  });
});
