import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { wallet } from "../../src/wallet/client";
import { credits, expectBooksBalanced, freshWallet, fund, sale, sleep, USD_PER_CREDIT, type TestWallet } from "./helpers";
import { drained } from "../harness";

const COLUMNS =
  "id, company_id, seq, kind, operation_id, amount, balance_after, product_id, product_type, seller_company_id, gross_usd, seller_share_usd, platform_fee_usd, usd_per_credit, reason, created_at";

async function d1Rows(companyId: string) {
  const { results } = await env.DB.prepare(`SELECT ${COLUMNS} FROM transactions WHERE company_id = ? ORDER BY seq`).bind(companyId).all();
  return results;
}

/** The wallet's ledger in D1's shape, oldest first. */
async function ledgerAsD1(t: TestWallet) {
  const entries = (await t.w.history({ limit: 500 })).reverse();
  return entries.map((e) => ({
    id: e.id,
    company_id: t.companyId,
    seq: e.seq,
    kind: e.kind,
    operation_id: e.operationId,
    amount: e.amount,
    balance_after: e.balanceAfter,
    product_id: e.productId,
    product_type: e.productType,
    seller_company_id: e.sellerCompanyId,
    gross_usd: e.grossUsd,
    seller_share_usd: e.sellerShareUsd,
    platform_fee_usd: e.platformFeeUsd,
    usd_per_credit: e.usdPerCredit,
    reason: e.reason,
    created_at: e.createdAt,
  }));
}

async function everyMovement(t: TestWallet) {
  await t.w.deposit({ id: "grant_1", kind: "grant", credits: credits(20), reason: "welcome", usdPerCredit: USD_PER_CREDIT });
  await t.w.hold({ id: "req_1", credits: credits(5) });
  await t.w.commit({ id: "req_1", credits: credits(2), sale: sale() });
  await t.w.charge({ id: "req_2", credits: credits(1), sale: sale({ productType: "asset", productId: "prod_chart" }) });
  await t.w.adjust({ id: "adj_1", credits: credits(3), reason: "goodwill reversal", usdPerCredit: USD_PER_CREDIT });
  await t.w.hold({ id: "req_3", credits: credits(1) });
  await t.w.release({ id: "req_3" });
}

describe("the feed copies the ledger to D1 through the queue", () => {
  it("sends every entry eagerly, and D1 ends exactly as the wallet has it", async () => {
    const t = freshWallet();
    await fund(t, credits(100));
    await everyMovement(t);
    // flush() waits for the send in flight and sends whatever is left; the consumer then copies it.
    await drained(t.companyId);
    expect(await t.w.outboxSize()).toBe(0);
    const ledger = await ledgerAsD1(t);
    expect(ledger.map((e) => e.kind)).toEqual(["top_up", "grant", "charge", "charge", "adjustment"]);
    expect(await d1Rows(t.companyId)).toEqual(ledger);
  });

  it("sends a long ledger in order, across several messages", async () => {
    const t = freshWallet();
    await fund(t, credits(1_000));
    await Promise.all(Array.from({ length: 300 }, (_, i) => t.w.charge({ id: `c${i}`, credits: credits(1), sale: sale() })));
    await drained(t.companyId);
    const rows = await d1Rows(t.companyId);
    expect(rows).toHaveLength(301);
    expect(rows).toEqual(await ledgerAsD1(t));
  });

  it("loses nothing while D1 fails, and converges without duplicates once it is back", async () => {
    const t = freshWallet();
    await fund(t, credits(100));
    await drained(t.companyId);
    await env.DB.exec("ALTER TABLE transactions RENAME TO transactions_off");
    try {
      await everyMovement(t);
      // The queue took the entries; D1 refuses them, so the consumer retries them later.
      expect(await t.w.flush()).toMatchObject({ ok: true, pending: 0 });
      // The wallet keeps working and its books stay right while D1 is down.
      expect(await t.w.balance()).toMatchObject({ balance: credits(114) });
      await expectBooksBalanced(t);
      await sleep(300);
    } finally {
      await env.DB.exec("ALTER TABLE transactions_off RENAME TO transactions");
    }
    expect(await d1Rows(t.companyId)).toHaveLength(1);
    // The consumer's retry lands once D1 is back.
    await drained(t.companyId);
    const ledger = await ledgerAsD1(t);
    expect(ledger).toHaveLength(5);
    expect(await d1Rows(t.companyId)).toEqual(ledger);

    // Re-sending everything (a crash after the queue took it but before the cursor moved) duplicates nothing.
    await runInDurableObject(t.stub, (_w, state) => {
      state.storage.sql.exec("UPDATE meta SET value = 0 WHERE key = 'fed_ledger_seq'");
    });
    await abortAllDurableObjects();
    const again = wallet(env, t.companyId);
    expect(await again.outboxSize()).toBe(5);
    await drained(t.companyId);
    expect(await d1Rows(t.companyId)).toEqual(ledger);
  });

  it("sends the request log too: every call row reaches request_logs once", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    const call = (requestId: string) => ({
      requestId,
      keyId: "ekey_test",
      productId: "ept_test",
      productType: "endpoint" as const,
      sellerCompanyId: "co_seller",
      channel: "api" as const,
      method: "GET",
      startedAt: Date.now(),
    });
    const billed = await t.w.recordCall({ call: call("req_a"), result: { ok: true, rows: 3 }, durationMs: 5, due: { credits: credits(1), sale: sale() } });
    const failed = await t.w.recordCall({ call: call("req_b"), result: { ok: false, status: 400, code: "INVALID_FILTER" }, durationMs: 2, due: null });
    // A retry of the same attempt returns its first outcome and writes nothing.
    expect(await t.w.recordCall({ call: call("req_a"), result: { ok: true, rows: 3 }, durationMs: 5, due: { credits: credits(1), sale: sale() } })).toEqual(billed);
    expect(billed).toMatchObject({ status: 200, billed: true, credits: credits(1), operationId: "req_a" });
    expect(failed).toMatchObject({ status: 400, code: "INVALID_FILTER", billed: false, credits: 0 });
    await drained(t.companyId);
    const { results } = await env.DB.prepare("SELECT id, status, error_code, rows, billed, credits, channel FROM request_logs WHERE company_id = ? ORDER BY id")
      .bind(t.companyId)
      .all();
    expect(results).toEqual([
      { id: "req_a", status: 200, error_code: null, rows: 3, billed: 1, credits: credits(1), channel: "api" },
      { id: "req_b", status: 400, error_code: "INVALID_FILTER", rows: null, billed: 0, credits: 0, channel: "api" },
    ]);
  });
});
