import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { wallet } from "../../src/wallet/client";
import { h, citiesCsv, drained, rest } from "../harness";

/** An endpoint whose one page (20 rows of 190,000 characters) is larger than a D1 or SQLite value may be. */
async function hugePages() {
  const s = await h.seller();
  const lines = ["id,blob"];
  for (let i = 1; i <= 20; i++) lines.push(`${i},row-${i}-${"x".repeat(190_000)}`);
  const source = await h.dataset(s.company.id, lines.join("\n"), "Blobs");
  const endpoint = await h.endpoint(s, {
    name: "Huge rows",
    description: "Very wide rows.",
    category: "Test",
    dataSourceId: source.id,
    spec: { columns: [{ column: "id" }, { column: "blob" }] },
    priceUsd: "0.50",
    sellInMarketplace: true,
  });
  const buyer = await h.buyer({ credits: 10 });
  const key = (await buyer.api.marketplace.endpoints.key.mutate({ id: endpoint.id })).secret!;
  return { endpoint, buyer, key };
}

const charges = async (companyId: string) => {
  await drained(companyId);
  return (await env.DB.prepare("SELECT count(*) AS n FROM transactions WHERE company_id = ? AND kind = 'charge'").bind(companyId).first<{ n: number }>())!.n;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Idempotency-Key: one key, one charge, whatever fails", () => {
  it("retries of a page too large for D1 get the same page, billed once, and never a 5xx", async () => {
    const { endpoint, buyer, key } = await hugePages();
    const logged: string[] = [];
    for (const level of ["error", "warn", "log"] as const) vi.spyOn(console, level).mockImplementation((...args) => void logged.push(args.map(String).join(" ")));

    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await rest(`/v1/endpoints/${endpoint.id}?page_size=1000`, { key, headers: { "idempotency-key": "big-page-1" } }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[0]!.body.data).toHaveLength(20);
    expect(answers[0]!.body.billing).toMatchObject({ billed: true, credits: 1 });
    for (const again of answers.slice(1)) {
      expect(again.body.data).toEqual(answers[0]!.body.data);
      expect(again.body.billing).toMatchObject({ billed: false, credits: 0, replayed: true, request_id: answers[0]!.body.billing.request_id });
    }
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(9);
    expect(await charges(buyer.company.id)).toBe(1);

    // Nothing logged carries a buyer's rows, key ids or idempotency keys.
    const [mine] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    for (const line of logged) {
      expect(line).not.toContain("xxxxxxxxxx");
      expect(line).not.toContain("big-page-1");
      expect(line).not.toContain(mine!.id);
    }
  });

  it("the same for the admin's fetch (tRPC marketplace.endpoints.fetch)", async () => {
    const { endpoint, buyer } = await hugePages();
    const fetchPage = () => buyer.api.marketplace.endpoints.fetch.mutate({ id: endpoint.id, params: {}, pageSize: 1000, idempotencyKey: "trpc-1" });
    const first = await fetchPage();
    const again = await fetchPage();
    expect(again.page.data).toEqual(first.page.data);
    expect(again.page.billing).toMatchObject({ billed: false, replayed: true });
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(9);
    expect(await charges(buyer.company.id)).toBe(1);
  });

  it("asset executions: a retry returns the first result and purchase, billed once", async () => {
    const s = await h.seller();
    const source = await h.dataset(s.company.id, citiesCsv(10));
    const asset = await h.asset(s, {
      assetKind: "calculation",
      name: "Total population",
      description: "Sum of all cities.",
      category: "Demographics",
      dataSourceId: source.id,
      spec: { aggregate: { fn: "sum", column: "population" } },
      priceUsd: "1",
      sellInMarketplace: true,
    });
    const buyer = await h.buyer({ credits: 10 });
    const run = () => rest(`/v1/assets/${asset.id}/executions`, { key: buyer.key, method: "POST", headers: { "idempotency-key": "run-1", "content-type": "application/json" }, body: "{}" });
    const [a, b] = [await run(), await run()];
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.data).toEqual(a.body.data);
    expect(b.body.billing).toMatchObject({ billed: false, replayed: true });
    expect((await buyer.api.marketplace.purchases.query({})).items).toHaveLength(1);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(8);
    const viaApp = await buyer.api.marketplace.process.mutate({ id: asset.id, params: {}, idempotencyKey: "app-run-1" });
    const viaAppAgain = await buyer.api.marketplace.process.mutate({ id: asset.id, params: {}, idempotencyKey: "app-run-1" });
    expect(viaAppAgain.purchase.id).toBe(viaApp.purchase.id);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(6);
    expect(await charges(buyer.company.id)).toBe(2);
  });

  it("a billed attempt whose answer was lost is replayed, never charged again", async () => {
    const { seller: s, endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    const [mine] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    const w = wallet(env, buyer.company.id);
    // The first attempt, as the worker runs it, up to the charge: then its answer never reaches the buyer.
    const replay = { scope: `${mine!.id}:lost-1`, requestHash: `${endpoint.id}?page_size=2&cursor=` };
    expect(await w.beginReplay({ ...replay, requestId: "req_lost" })).toEqual({ kind: "new", operationId: "req_lost" });
    const body = { data: [{ id: 1 }], pagination: { page_size: 1, next_cursor: null }, billing: { billed: true, credits: 1, request_id: "req_lost" } };
    const call = { requestId: "req_lost", keyId: mine!.id, productId: endpoint.id, productType: "endpoint" as const, sellerCompanyId: s.company.id, channel: "api" as const, method: "GET", startedAt: Date.now() };
    const sale = { productId: endpoint.id, productType: "endpoint" as const, sellerCompanyId: call.sellerCompanyId, grossUsd: 500_000, sellerShareUsd: 400_000, platformFeeUsd: 100_000, usdPerCredit: 500_000 } as never;
    const settle = () => w.recordCall({ call, result: { ok: true, rows: 1 }, durationMs: 1, due: { credits: 1_000_000 as never, sale }, replay: { ...replay, answer: { status: 200, body: JSON.stringify(body) } } });
    const first = await settle();
    // The worker tries the settle again (its reply was lost): the same outcome, no second charge.
    expect(await settle()).toEqual(first);
    const retry = await rest(`/v1/endpoints/${endpoint.id}?page_size=2`, { key, headers: { "idempotency-key": "lost-1" } });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ data: [{ id: 1 }], billing: { billed: false, replayed: true, request_id: "req_lost" } });
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(9);
    expect(await charges(buyer.company.id)).toBe(1);
  });

  it("an attempt that died mid-way holds the key a minute, then a retry takes it over and is billed once", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    const [mine] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    const w = wallet(env, buyer.company.id);
    await w.beginReplay({ scope: `${mine!.id}:dead-1`, requestHash: `${endpoint.id}?page_size=2&cursor=`, requestId: "req_dead" });
    const call = () => rest(`/v1/endpoints/${endpoint.id}?page_size=2`, { key, headers: { "idempotency-key": "dead-1" } });
    const busy = await call();
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ error: { code: "CONFLICT" }, billing: { billed: false } });
    await w.advanceClock(61_000);
    const taken = await call();
    expect(taken.status).toBe(200);
    expect(taken.body.billing).toMatchObject({ billed: true, credits: 1 });
    const again = await call();
    expect(again.body.billing).toMatchObject({ billed: false, replayed: true, request_id: taken.body.billing.request_id });
    expect(await charges(buyer.company.id)).toBe(1);
    // Every attempt of one key charges under one operation id: the first attempt's.
    const { results } = await env.DB.prepare("SELECT operation_id FROM transactions WHERE company_id = ? AND kind = 'charge'").bind(buyer.company.id).all();
    expect(results).toEqual([{ operation_id: "req_dead" }]);
  });

  it("bills once while D1 is down: a warm call needs no D1, and its retry is a replay", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    expect((await rest(`/v1/endpoints/${endpoint.id}?page_size=1`, { key })).status).toBe(200);
    await drained(buyer.company.id);
    await env.DB.exec("ALTER TABLE transactions RENAME TO transactions_down");
    try {
      const first = await rest(`/v1/endpoints/${endpoint.id}?page_size=2`, { key, headers: { "idempotency-key": "d1-down" } });
      const again = await rest(`/v1/endpoints/${endpoint.id}?page_size=2`, { key, headers: { "idempotency-key": "d1-down" } });
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.body.billing).toMatchObject({ replayed: true, request_id: first.body.billing.request_id });
    } finally {
      await env.DB.exec("ALTER TABLE transactions_down RENAME TO transactions");
    }
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(8);
    expect(await charges(buyer.company.id)).toBe(2);
  });

  it("forgets a key after 24 hours, with its stored answer", async () => {
    const { endpoint, buyer, key } = await hugePages();
    const call = () => rest(`/v1/endpoints/${endpoint.id}?page_size=1000`, { key, headers: { "idempotency-key": "day-1" } });
    expect((await call()).body.billing.billed).toBe(true);
    const stored = await env.REPLAYS.list({ prefix: `replays/${buyer.company.id}/` });
    expect(stored.objects).toHaveLength(1);
    const w = wallet(env, buyer.company.id);
    await w.advanceClock(24 * 3_600_000 + 1_000);
    // The alarm prunes the record and deletes its body.
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    await runDurableObjectAlarm(env.WALLET.getByName(buyer.company.id));
    expect((await env.REPLAYS.list({ prefix: `replays/${buyer.company.id}/` })).objects).toHaveLength(0);
    // The same key is a new request now.
    expect((await call()).body.billing).toMatchObject({ billed: true });
    expect(await charges(buyer.company.id)).toBe(2);
  });
});

