import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { consumeLedgerFeed } from "../../src/feed/consumer";
import { randomToken } from "../../src/ids";
import { FEED_LEDGER_COLUMNS, type FeedMessage } from "../../src/wallet/feed";
import type { LedgerRow } from "../../src/wallet/rows";

function ledgerRow(seq: number): LedgerRow {
  return {
    seq,
    kind: seq === 1 ? "grant" : "charge",
    operation_id: `op_${seq}`,
    amount: seq === 1 ? 10_000_000 : -1_000_000,
    balance_after: 10_000_000 - (seq - 1) * 1_000_000,
    product_id: seq === 1 ? null : "ept_x",
    product_type: seq === 1 ? null : "endpoint",
    seller_company_id: seq === 1 ? null : "co_seller",
    gross_usd: seq === 1 ? null : 500_000,
    seller_share_usd: seq === 1 ? null : 400_000,
    platform_fee_usd: seq === 1 ? null : 100_000,
    usd_per_credit: 500_000,
    reason: null,
    created_at: 1_700_000_000_000 + seq,
  };
}

/** The ledger rows of a message as the wallet's feed writes them: JSON arrays of FEED_LEDGER_COLUMNS. */
function ledgerText(companyId: string, seqs: number[]): string {
  return JSON.stringify(seqs.map((seq) => FEED_LEDGER_COLUMNS.map((c) => (c === "company_id" ? companyId : ledgerRow(seq)[c]))));
}

function batchOf(messages: FeedMessage[]) {
  return createMessageBatch<unknown>(
    "tessera-ledger-feed",
    messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
}

async function consume(messages: FeedMessage[], db: D1Database = env.DB) {
  const batch = batchOf(messages);
  const retryAll = vi.spyOn(batch, "retryAll");
  const ctx = createExecutionContext();
  await consumeLedgerFeed(batch, db);
  return { ...(await getQueueResult(batch, ctx)), retryDelays: retryAll.mock.calls.map(([options]) => options?.delaySeconds) };
}

const rowsOf = async (companyId: string) =>
  (await env.DB.prepare("SELECT seq, amount FROM transactions WHERE company_id = ? ORDER BY seq").bind(companyId).all()).results;

/** D1 as it is when down: every write is refused. */
const down = { prepare: env.DB.prepare.bind(env.DB), batch: () => Promise.reject(new Error("D1_ERROR: database unavailable")) } as unknown as D1Database;

describe("the ledger feed's consumer", () => {
  it("copies redelivered and reordered messages exactly once", async () => {
    const companyId = `co_${randomToken(10)}`;
    const late: FeedMessage = { companyId, ledger: ledgerText(companyId, [3, 4, 5]), calls: "[]" };
    const early: FeedMessage = { companyId, ledger: ledgerText(companyId, [1, 2]), calls: "[]" };
    expect((await consume([late, early])).explicitAcks).toEqual([]);
    // The same messages again (a redelivery), and again in the other order: nothing changes.
    await consume([early, late]);
    await consume([late]);
    expect(await rowsOf(companyId)).toEqual([1, 2, 3, 4, 5].map((seq) => ({ seq, amount: ledgerRow(seq).amount })));
  });

  it("retries the whole batch while D1 is down, with a growing delay, and lands it once D1 is back", async () => {
    const companyId = `co_${randomToken(10)}`;
    const message: FeedMessage = { companyId, ledger: ledgerText(companyId, [1, 2]), calls: "[]" };
    const result = await consume([message], down);
    expect(result.retryBatch).toMatchObject({ retry: true });
    expect(result.retryDelays).toEqual([2]);
    expect(await rowsOf(companyId)).toEqual([]);
    // Redelivered after D1 came back.
    const again = await consume([message]);
    expect(again.retryBatch.retry).toBe(false);
    expect(await rowsOf(companyId)).toHaveLength(2);
  });

  it("drops what is not a feed message instead of retrying it forever", async () => {
    const batch = createMessageBatch<unknown>("tessera-ledger-feed", [{ id: "junk", timestamp: new Date(), attempts: 1, body: { hello: "world" } }]);
    const ctx = createExecutionContext();
    await consumeLedgerFeed(batch, env.DB);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["junk"]);
  });
});
