import { describe, expect, it } from "vitest";
import type { Credits } from "../../src/money";
import { credits, expectBooksBalanced, freshWallet, fund, sale, type TestWallet } from "./helpers";

// What one operation costs in SQLite writes (rows, index entries included), as
// `npm run bench` reports it; here as a bound a change to the hot path must
// not cross silently. The feed's sends are counted apart (their cursors: a
// few rows per send, and a busy wallet sends a few times a second).
const N = 200;
const PRICE = credits(0.01);

/** Rows written per operation while `run` makes `N` of them, 64 at a time as the bench does. */
async function rowsPerOp(t: TestWallet, op: (i: number) => Promise<unknown>): Promise<number> {
  const before = await t.w.storageStats();
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < N) await op(next++);
  }));
  await t.w.flush();
  const after = await t.w.storageStats();
  const feedRows = (after.feed.rowsWritten - before.feed.rowsWritten) / N;
  expect(feedRows, `${feedRows} rows written by the feed per operation`).toBeLessThan(0.2);
  return (after.rowsWritten - before.rowsWritten) / N;
}

describe("what the hot path writes", () => {
  it("a charge writes five rows and takes exactly its credits", async () => {
    const t = freshWallet();
    await fund(t, credits(1000));
    const rows = await rowsPerOp(t, (i) => t.w.charge({ id: `charge_${i}`, credits: PRICE, sale: sale() }));
    expect(rows, `${rows} rows per charge`).toBe(5);
    expect(await t.w.balance()).toMatchObject({ balance: credits(998), held: 0, available: credits(998) });
    expect(await expectBooksBalanced(t)).toMatchObject({ entries: N + 1, ledgerSum: credits(998) });
  });

  it("a metered call (key check, charge, call log row) writes seven rows and takes exactly its credits", async () => {
    const t = freshWallet();
    await fund(t, credits(1000));
    const rows = await rowsPerOp(t, (i) =>
      t.w.recordCall({
        call: { requestId: `req_${i}`, keyId: "ekey_cost", productId: "prod_weather", productType: "endpoint", sellerCompanyId: "co_seller", channel: "api", method: "GET", startedAt: Date.now() },
        result: { ok: true, rows: 20 },
        durationMs: 1,
        due: { credits: PRICE as Credits, sale: sale() },
      }),
    );
    // Seven a call, and once the product's first use (`used_products`).
    expect(rows * N, `${rows} rows per metered call`).toBe(7 * N + 1);
    expect(await t.w.balance()).toMatchObject({ balance: credits(998), held: 0, available: credits(998) });
    expect(await expectBooksBalanced(t)).toMatchObject({ entries: N + 1, calls: N, ledgerSum: credits(998) });
  });
});
