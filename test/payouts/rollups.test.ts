/**
 * The earnings rollups equal the ledger exactly, whoever inserts the ledger
 * rows and in whatever order or number of copies they arrive (the wallet's
 * outbox today, a queue consumer later: both `INSERT ... ON CONFLICT(id) DO
 * NOTHING`), and every earnings read built on them equals summing the ledger.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { earningsByProduct, earningsOverTime, earnedThrough, earnedTotal } from "../../src/payouts/earnings";
import { monthOf } from "../../src/payouts/period";
import { spans } from "../../src/payouts/rollups";
import { db, sell, utc } from "./helpers";
import { h, citiesCsv, citiesSpec } from "../harness";

const DAY_MS = 86_400_000;

interface Entry {
  id: string;
  seller: string;
  product: string;
  type: "asset" | "endpoint";
  kind: "charge" | "refund";
  share: number;
  at: number;
}

const COLUMNS =
  "id, company_id, seq, kind, operation_id, amount, balance_after, product_id, product_type, seller_company_id, gross_usd, seller_share_usd, platform_fee_usd, usd_per_credit, reason, created_at";

/** Inserts ledger rows as the wallet's outbox does: 6 rows a statement, one batch, ON CONFLICT(id) DO NOTHING. */
async function copy(entries: Entry[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < entries.length; i += 6) {
    const chunk = entries.slice(i, i + 6);
    const sql = `INSERT INTO transactions (${COLUMNS}) VALUES ${chunk.map(() => `(${Array(16).fill("?").join(", ")})`).join(", ")} ON CONFLICT(id) DO NOTHING`;
    const values = chunk.flatMap((e, j) => [
      e.id, "co_rollup_buyer", i + j + 1, e.kind, `op_${e.id}`, e.kind === "charge" ? -1 : 1, 0, e.product, e.type, e.seller,
      Math.ceil(e.share * 1.25), e.share, Math.ceil(e.share * 1.25) - e.share, 500_000, null, e.at,
    ]);
    statements.push(env.DB.prepare(sql).bind(...values));
  }
  if (statements.length > 0) await env.DB.batch(statements);
}

const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthKey = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** What the ledger says, summed in JavaScript from the entries themselves. */
function sums(entries: Entry[], keyOf: (e: Entry) => string) {
  const out = new Map<string, { sales: number; refunds: number; earnings: number }>();
  for (const e of entries) {
    const key = keyOf(e);
    const row = out.get(key) ?? { sales: 0, refunds: 0, earnings: 0 };
    if (e.kind === "charge") [row.sales, row.earnings] = [row.sales + 1, row.earnings + e.share];
    else [row.refunds, row.earnings] = [row.refunds + 1, row.earnings - e.share];
    out.set(key, row);
  }
  return out;
}

async function rollup(table: string, bucket: string, sellers: string[]) {
  const { results } = await env.DB.prepare(
    `SELECT seller_company_id AS s, ${bucket} AS b, product_id AS p, product_type AS t, sales, refunds, earnings_usd AS e FROM ${table}
     WHERE seller_company_id IN (${sellers.map(() => "?").join(", ")})`,
  )
    .bind(...sellers)
    .all<{ s: string; b: string; p: string; t: string; sales: number; refunds: number; e: number }>();
  return new Map(results.map((r) => [`${r.s}|${r.b}|${r.p}|${r.t}`, { sales: r.sales, refunds: r.refunds, earnings: r.e }]));
}

async function expectRollupsEqual(entries: Entry[], sellers: string[]) {
  expect(await rollup("seller_earnings_days", "day", sellers)).toEqual(sums(entries, (e) => `${e.seller}|${dayKey(e.at)}|${e.product}|${e.type}`));
  expect(await rollup("seller_earnings_months", "period", sellers)).toEqual(sums(entries, (e) => `${e.seller}|${monthKey(e.at)}|${e.product}|${e.type}`));
  const { results } = await env.DB.prepare(
    `SELECT seller_company_id AS s, sales, refunds, earnings_usd AS e FROM seller_earnings_totals WHERE seller_company_id IN (${sellers.map(() => "?").join(", ")})`,
  )
    .bind(...sellers)
    .all<{ s: string; sales: number; refunds: number; e: number }>();
  expect(new Map(results.map((r) => [r.s, { sales: r.sales, refunds: r.refunds, earnings: r.e }]))).toEqual(sums(entries, (e) => e.seller));
}

/** Ledger entries around month and day boundaries (to the millisecond), for a few sellers and products. */
function entriesArb(tag: string) {
  const edges = [utc(2040, 1, 31), utc(2040, 2, 1), utc(2040, 2, 29), utc(2040, 3, 1), utc(2040, 3, 2)];
  const at = fc.oneof(
    fc.integer({ min: utc(2040, 1, 25), max: utc(2040, 3, 6) }),
    fc.tuple(fc.constantFrom(...edges), fc.integer({ min: -2, max: 1 })).map(([edge, d]) => edge + d),
  );
  const products = [
    { product: `ast_${tag}_a`, type: "asset" as const },
    { product: `ept_${tag}_b`, type: "endpoint" as const },
    { product: `ept_${tag}_c`, type: "endpoint" as const },
  ];
  const entry = fc.record({
    seller: fc.constantFrom(`co_${tag}_1`, `co_${tag}_2`, `co_${tag}_3`),
    product: fc.constantFrom(...products),
    kind: fc.constantFrom<Entry["kind"]>("charge", "charge", "charge", "refund"),
    share: fc.integer({ min: 0, max: 5_000_000 }),
    at,
  });
  return fc.array(entry, { minLength: 150, maxLength: 300 }).map((list) =>
    list.map((e, i): Entry => ({ id: `${tag}:${i}`, seller: e.seller, product: e.product.product, type: e.product.type, kind: e.kind, share: e.share, at: e.at })),
  );
}

describe("earnings rollups", () => {
  it("equal the ledger after rows arrive shuffled, several times over, some at the same moment", async () => {
    const tag = "shuffle";
    const [entries] = fc.sample(entriesArb(tag), { numRuns: 1, seed: 42 });
    const sellers = [...new Set(entries!.map((e) => e.seller))];
    // Each entry one to three times, in a random order, in batches of 1 to 40 rows, three batches at a time.
    const copies = entries!.flatMap((e, i) => Array<Entry>(1 + (i % 3)).fill(e));
    const [order] = fc.sample(fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length }), { numRuns: 1, seed: 7 });
    const batches: Entry[][] = [];
    for (let i = 0, size = 1; i < order!.length; i += size, size = ((size * 7) % 40) + 1) batches.push(order!.slice(i, i + size));
    for (let i = 0; i < batches.length; i += 3) await Promise.all(batches.slice(i, i + 3).map(copy));

    await expectRollupsEqual(entries!, sellers);
    // Everything once more: nothing changes.
    await copy(entries!.slice().reverse());
    await expectRollupsEqual(entries!, sellers);
  });

  it("equal the ledger for sales billed through the wallet and copied again", async () => {
    const shop = await h.seller({ name: "Rollup Shop" });
    const source = await h.dataset(shop.company.id, citiesCsv(3));
    const endpoint = await h.endpoint(shop, {
      name: "Rollup feed",
      description: "Cities.",
      category: "Geo",
      dataSourceId: source.id,
      spec: citiesSpec,
      priceUsd: "0.50",
    });
    const products = { company: shop.company, asset: endpoint, endpoint };
    const buyer = await h.buyer({ credits: 1_000_000, name: "Rollup Buyer" });
    await sell(buyer.company.id, [
      { seller: products, type: "endpoint", priceUsd: 123_457, at: utc(2041, 5, 31, 23, 59, 59, 999) },
      { seller: products, type: "endpoint", priceUsd: 500_000, at: utc(2041, 6, 1) },
      { seller: products, type: "endpoint", priceUsd: 3, at: utc(2041, 6, 1, 12) },
    ]);
    // A second copy of the same rows, as a retried outbox or a redelivered queue message would send.
    const { results } = await env.DB.prepare(`SELECT ${COLUMNS} FROM transactions WHERE seller_company_id = ?`).bind(shop.company.id).all<Record<string, unknown>>();
    expect(results).toHaveLength(3);
    await env.DB.batch(
      results.map((row) =>
        env.DB.prepare(`INSERT INTO transactions (${COLUMNS}) VALUES (${Array(16).fill("?").join(", ")}) ON CONFLICT(id) DO NOTHING`).bind(
          ...COLUMNS.split(", ").map((c) => row[c] ?? null),
        ),
      ),
    );
    const shares = [98_765, 400_000, 2];
    expect(await earnedTotal(db, shop.company.id)).toBe(498_767);
    expect(await earnedThrough(db, shop.company.id, monthOf("2041-05"))).toBe(shares[0]);
    expect(await earningsOverTime(db, shop.company.id, utc(2041, 5, 1), utc(2041, 7, 1), "month")).toMatchObject([
      { period: "2041-05", sales: 1, earningsUsd: 98_765 },
      { period: "2041-06", sales: 2, earningsUsd: 400_002 },
    ]);
  });

  it("are what the migration's backfill computes from the ledger", async () => {
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.endsWith("_seller_rollups.sql"))!;
    const backfills = migration.queries.filter((q) => q.startsWith("INSERT INTO `seller_earnings_"));
    expect(backfills).toHaveLength(3);
    const snapshot = async () =>
      Promise.all(["seller_earnings_days", "seller_earnings_months", "seller_earnings_totals"].map(async (t) => (await env.DB.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4`).all()).results));
    const kept = await snapshot();
    expect(kept[2]!.length).toBeGreaterThan(3);
    await env.DB.batch(["seller_earnings_days", "seller_earnings_months", "seller_earnings_totals"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
    await env.DB.batch(backfills.map((q) => env.DB.prepare(q)));
    expect(await snapshot()).toEqual(kept);
  });
});

describe("earnings reads from the rollups", () => {
  it("read the ledger only for partial days, day rows for whole days, month rows for whole months", () => {
    const at = (m: number, d: number, h = 0) => utc(2040, m, d, h);
    expect(spans(at(2, 10, 5), at(4, 3, 12), true)).toEqual([
      { source: "ledger", from: at(2, 10, 5), to: at(2, 11) },
      { source: "days", from: at(2, 11), to: at(3, 1) },
      { source: "months", from: at(3, 1), to: at(4, 1) },
      { source: "days", from: at(4, 1), to: at(4, 3) },
      { source: "ledger", from: at(4, 3), to: at(4, 3, 12) },
    ]);
    // A payout's month is one read of month rows; daily charts never use month rows.
    expect(spans(at(3, 1), at(4, 1), true)).toEqual([{ source: "months", from: at(3, 1), to: at(4, 1) }]);
    expect(spans(at(3, 1), at(4, 1), false)).toEqual([{ source: "days", from: at(3, 1), to: at(4, 1) }]);
    // Within one day: the ledger alone. Open-ended (the last 30 days): no ledger at the end.
    expect(spans(at(3, 5, 1), at(3, 5, 2), true)).toEqual([{ source: "ledger", from: at(3, 5, 1), to: at(3, 5, 2) }]);
    expect(spans(at(3, 5, 1), null, true)).toEqual([
      { source: "ledger", from: at(3, 5, 1), to: at(3, 6) },
      { source: "days", from: at(3, 6), to: at(4, 1) },
      { source: "months", from: at(4, 1), to: null },
    ]);
    expect(spans(at(3, 5), at(3, 5), true)).toEqual([]);
  });

  it("equal summing the ledger for any range, per product and per day or month", async () => {
    const tag = "reads";
    const [entries] = fc.sample(entriesArb(tag), { numRuns: 1, seed: 1234 });
    await copy(entries!);
    const seller = `co_${tag}_1`;
    const mine = entries!.filter((e) => e.seller === seller);
    const range = fc
      .tuple(fc.integer({ min: utc(2040, 1, 20), max: utc(2040, 3, 10) }), fc.integer({ min: 1, max: 50 * DAY_MS }))
      .map(([from, length]) => [from, from + length] as const);
    const boundaries = [
      [utc(2040, 2, 1), utc(2040, 3, 1)],
      [utc(2040, 1, 31), utc(2040, 3, 2)],
      [utc(2040, 2, 1) - 1, utc(2040, 3, 1) + 1],
      [utc(2040, 2, 10, 5), utc(2040, 2, 10, 6)],
      [utc(2040, 1, 1), utc(2040, 4, 1)],
    ] as const;
    for (const [from, to] of [...boundaries, ...fc.sample(range, { numRuns: 40, seed: 5 })]) {
      const inRange = mine.filter((e) => e.at >= from && e.at < to);
      const byProduct = sums(inRange, (e) => `${e.product}|${e.type}`);
      const read = await earningsByProduct(db, seller, from, to);
      expect(new Map(read.map((p) => [`${p.productId}|${p.productType}`, { sales: p.sales, refunds: p.refunds, earnings: p.earningsUsd }])), `${from}..${to}`).toEqual(byProduct);
      for (const granularity of ["day", "month"] as const) {
        const keyOf = granularity === "day" ? dayKey : monthKey;
        const expected = sums(inRange, (e) => `${keyOf(e.at)}|${e.product}|${e.type}`);
        const buckets = await earningsOverTime(db, seller, from, to, granularity);
        expect(new Map(buckets.map((b) => [`${b.period}|${b.productId}|${b.productType}`, { sales: b.sales, refunds: b.refunds, earnings: b.earningsUsd }])), `${granularity} ${from}..${to}`).toEqual(expected);
      }
    }
    // Open-ended (the 30-day figures) and all time.
    const since = utc(2040, 2, 14, 13, 0, 0, 1);
    const open = await earningsByProduct(db, seller, since, null);
    expect(new Map(open.map((p) => [`${p.productId}|${p.productType}`, { sales: p.sales, refunds: p.refunds, earnings: p.earningsUsd }]))).toEqual(
      sums(mine.filter((e) => e.at >= since), (e) => `${e.product}|${e.type}`),
    );
    const all = sums(mine, () => "all").get("all")!.earnings;
    expect(await earnedTotal(db, seller)).toBe(all);
    expect(await earnedThrough(db, seller, monthOf("2040-02"))).toBe(sums(mine.filter((e) => e.at < utc(2040, 3, 1)), () => "x").get("x")!.earnings);
  });
});
