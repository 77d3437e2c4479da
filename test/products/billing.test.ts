import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { h, books, citiesSpec, eventually, rest, type Company } from "../harness";

const get = (endpointId: string, key: string | undefined, query = "", headers: Record<string, string> = {}) =>
  rest(`/v1/endpoints/${endpointId}${query}`, { key, headers });

/** An endpoint over one of the test origin's paths, and a buyer with its key. */
async function originEndpoint(path: string, timeoutMs?: number) {
  const s = await h.seller();
  const source = await h.origin(s.company.id, path, timeoutMs);
  const endpoint = await h.endpoint(s, {
    name: `Origin ${path}`,
    description: "Rows from the seller's own API.",
    category: "Live",
    dataSourceId: source.id,
    spec: { filters: [{ param: "city", type: "text" }] },
    priceUsd: "1",
    sellInMarketplace: true,
  });
  const buyer = await h.buyer({ credits: 10 });
  const key = (await buyer.api.marketplace.endpoints.key.mutate({ id: endpoint.id })).secret!;
  return { endpoint, buyer, key };
}

async function availableOf(api: Company["api"]) {
  return (await api.credits.balance.query()).availableCredits;
}

describe("the billing table: a 200 is billed once, a failure never", () => {
  it("bills a successful page once, at the price converted to credits", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 10 });
    const { status, body } = await get(endpoint.id, key, "?region=EU&page_size=3");
    expect(status).toBe(200);
    expect(body.data).toEqual([
      { id: 1, city: "City 1", region: "EU", population: 1000 },
      { id: 3, city: "City 3", region: "EU", population: 3000 },
      { id: 5, city: "City 5", region: "EU", population: 5000 },
    ]);
    expect(body.pagination).toEqual({ page_size: 3, next_cursor: expect.any(String) });
    expect(body.billing).toMatchObject({ billed: true, credits: 1, price_usd: 0.5, price_credits: 1, request_id: expect.stringMatching(/^req_/) });
    expect(await availableOf(buyer.api)).toBe(9);
  });

  it("bills a 200 with zero rows", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    const { status, body } = await get(endpoint.id, key, "?min_population=999999999");
    expect(status).toBe(200);
    expect(body.data).toEqual([]);
    expect(body.billing.billed).toBe(true);
    expect(await availableOf(buyer.api)).toBe(9);
  });

  it("answers an origin's success through the signed call and bills it", async () => {
    const { endpoint, buyer, key } = await originEndpoint("/rows");
    const { status, body } = await get(endpoint.id, key, "?city=Porto");
    expect(status).toBe(200);
    expect(body.data).toEqual([{ city: "Porto", signed: true }]);
    expect(body.billing).toMatchObject({ billed: true, credits: 2 });
    expect(await availableOf(buyer.api)).toBe(8);
  });

  const failures: [string, () => Promise<{ status: number; body: any; api?: any }>, number, string][] = [
    ["a failing origin", async () => { const e = await originEndpoint("/fail"); return { ...(await get(e.endpoint.id, e.key)), api: e.buyer.api }; }, 502, "ORIGIN_ERROR"],
    ["an origin timeout", async () => { const e = await originEndpoint("/slow", 300); return { ...(await get(e.endpoint.id, e.key)), api: e.buyer.api }; }, 504, "ORIGIN_TIMEOUT"],
    ["a malformed origin body", async () => { const e = await originEndpoint("/malformed"); return { ...(await get(e.endpoint.id, e.key)), api: e.buyer.api }; }, 502, "ORIGIN_ERROR"],
    ["a bad filter", async () => { const e = await h.listedEndpoint({ buyerCredits: 10 }); return { ...(await get(e.endpoint.id, e.key, "?min_population=lots")), api: e.buyer.api }; }, 400, "INVALID_FILTER"],
    ["an undeclared filter", async () => { const e = await h.listedEndpoint({ buyerCredits: 10 }); return { ...(await get(e.endpoint.id, e.key, "?secret_column=1")), api: e.buyer.api }; }, 400, "INVALID_FILTER"],
    ["an unknown endpoint", async () => { const e = await h.listedEndpoint({ buyerCredits: 10 }); return { ...(await get("ept_doesnotexist", e.key)), api: e.buyer.api }; }, 404, "NOT_FOUND"],
    ["a bad page size", async () => { const e = await h.listedEndpoint({ buyerCredits: 10 }); return { ...(await get(e.endpoint.id, e.key, "?page_size=5000")), api: e.buyer.api }; }, 400, "INVALID_FILTER"],
    ["no key", async () => { const e = await h.listedEndpoint({ buyerCredits: 10 }); return { ...(await get(e.endpoint.id, undefined)), api: e.buyer.api }; }, 401, "UNAUTHORIZED"],
  ];

  for (const [what, call, status, code] of failures) {
    it(`does not bill ${what} (${code})`, async () => {
      const res = await call();
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, requestId: expect.stringMatching(/^req_/) });
      expect(res.body.billing).toMatchObject({ billed: false, credits: 0 });
      expect(res.body.data).toBeUndefined();
      expect(await availableOf(res.api)).toBe(10);
    });
  }

  it("does not bill a revoked key, from the next request on", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    expect((await get(endpoint.id, key)).status).toBe(200);
    const [mine] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    await buyer.api.marketplace.endpoints.revokeKey.mutate({ keyId: mine!.id });
    const { status, body } = await get(endpoint.id, key);
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: "KEY_REVOKED" }, billing: { billed: false } });
    expect(await availableOf(buyer.api)).toBe(9);
  });

  it("does not bill a key for another endpoint", async () => {
    const first = await h.listedEndpoint({ buyerCredits: 10 });
    const second = await h.listedEndpoint({ buyerCredits: 10 });
    const { status, body } = await get(second.endpoint.id, first.key);
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: { code: "FORBIDDEN" }, billing: { billed: false } });
    expect(await availableOf(first.buyer.api)).toBe(10);
  });

  it("refuses without credits and bills nothing", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ priceUsd: "5", buyerCredits: 9 });
    const { status, body } = await get(endpoint.id, key);
    expect(status).toBe(402);
    expect(body).toMatchObject({ error: { code: "INSUFFICIENT_CREDITS" }, billing: { billed: false, credits: 0 } });
    expect(await availableOf(buyer.api)).toBe(9);
  });

  it("logs every call with what was billed", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    const ok = await get(endpoint.id, key, "?page_size=2");
    const bad = await get(endpoint.id, key, "?page_size=0");
    await eventually(async () => {
      const { results } = await env.DB.prepare("SELECT * FROM request_logs WHERE company_id = ? ORDER BY created_at").bind(buyer.company.id).all();
      expect(results).toHaveLength(2);
    });
    const ids = [ok.body.billing.request_id, bad.body.billing.request_id];
    const { results } = await env.DB.prepare(`SELECT id, status, error_code, rows, billed, credits FROM request_logs WHERE id IN (?, ?)`).bind(...ids).all();
    expect(results).toEqual(
      expect.arrayContaining([
        { id: ids[0], status: 200, error_code: null, rows: 2, billed: 1, credits: 1_000_000 },
        { id: ids[1], status: 400, error_code: "INVALID_FILTER", rows: null, billed: 0, credits: 0 },
      ]),
    );
  });
});

describe("paging and prices", () => {
  it("reads 1,000 rows 100 at a time for exactly 10 requests' worth", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ rows: 1000, priceUsd: "0.05", buyerCredits: 10 });
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?page_size=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { status, body } = await get(endpoint.id, key, query);
      expect(status).toBe(200);
      seen.push(...body.data.map((r: { id: number }) => r.id));
      cursor = body.pagination.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(10);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    // $0.05 = 0.1 credit a request.
    expect(await availableOf(buyer.api)).toBe(9);
    const { charges } = await books(buyer.company.id);
    expect(charges).toEqual({ n: 10, total: -1_000_000 });
  });

  it("bills each request at the price in force when it ran", async () => {
    const { seller: s, endpoint, buyer, key } = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 10 });
    expect((await get(endpoint.id, key)).body.billing.credits).toBe(1);
    await s.api.products.setPrice.mutate({ id: endpoint.id, priceUsd: "1.25" });
    expect((await get(endpoint.id, key)).body.billing.credits).toBe(2.5);
    expect(await availableOf(buyer.api)).toBe(6.5);
    const history = (await s.api.products.priceHistory.query({ id: endpoint.id })).items;
    expect(history.map((h) => h.priceUsd)).toEqual([1.25, 0.5]);
    const { results } = await env.DB.prepare("SELECT gross_usd, seller_share_usd, platform_fee_usd FROM transactions WHERE company_id = ? ORDER BY seq")
      .bind(buyer.company.id)
      .all();
    await books(buyer.company.id);
    const sales = (await env.DB.prepare("SELECT gross_usd, seller_share_usd, platform_fee_usd FROM transactions WHERE company_id = ? AND kind = 'charge' ORDER BY seq").bind(buyer.company.id).all()).results;
    void results;
    expect(sales).toEqual([
      { gross_usd: 500_000, seller_share_usd: 400_000, platform_fee_usd: 100_000 },
      { gross_usd: 1_250_000, seller_share_usd: 1_000_000, platform_fee_usd: 250_000 },
    ]);
  });

  it("serves a free product without moving credits", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ priceUsd: "0", buyerCredits: 0 });
    const { status, body } = await get(endpoint.id, key);
    expect(status).toBe(200);
    expect(body.billing).toMatchObject({ billed: false, credits: 0 });
    expect(await availableOf(buyer.api)).toBe(0);
  });
});

describe("Idempotency-Key", () => {
  it("returns the same page for a retry and bills it once", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    const first = await get(endpoint.id, key, "?region=US&page_size=2", { "idempotency-key": "page-1" });
    const again = await get(endpoint.id, key, "?region=US&page_size=2", { "idempotency-key": "page-1" });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(again.body.billing).toMatchObject({ billed: false, credits: 0, replayed: true, request_id: first.body.billing.request_id });
    expect(await availableOf(buyer.api)).toBe(9);
    const other = await get(endpoint.id, key, "?region=EU", { "idempotency-key": "page-1" });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: { code: "CONFLICT" }, billing: { billed: false } });
    expect(await availableOf(buyer.api)).toBe(9);
  });

  it("lets a retry after a failure run again", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    expect((await get(endpoint.id, key, "?page_size=0", { "idempotency-key": "k" })).status).toBe(400);
    expect((await get(endpoint.id, key, "?page_size=0", { "idempotency-key": "k" })).status).toBe(400);
    expect(await availableOf(buyer.api)).toBe(10);
  });
});

void citiesSpec;
