import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { credits, expectBooksBalanced, freshWallet, fund, sale, USD_PER_CREDIT, type TestWallet } from "./helpers";

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

describe("the outbox copies the ledger to D1", () => {
  it("copies every entry eagerly, exactly as the wallet has it", async () => {
    const t = freshWallet();
    await fund(t, credits(100));
    await everyMovement(t);
    // flush() waits for the eager copy in flight and copies whatever is left.
    expect((await t.w.flush()).pending).toBe(0);
    expect(await t.w.outboxSize()).toBe(0);
    const ledger = await ledgerAsD1(t);
    expect(ledger.map((e) => e.kind)).toEqual(["purchase", "grant", "charge", "charge", "adjustment"]);
    expect(await d1Rows(t.companyId)).toEqual(ledger);
  });

  it("copies a long ledger in order, across several batches", async () => {
    const t = freshWallet();
    await fund(t, credits(1_000));
    await Promise.all(Array.from({ length: 300 }, (_, i) => t.w.charge({ id: `c${i}`, credits: credits(1), sale: sale() })));
    await t.w.flush();
    const rows = await d1Rows(t.companyId);
    expect(rows).toHaveLength(301);
    expect(rows).toEqual(await ledgerAsD1(t));
  });

  it("loses nothing while D1 fails, and converges without duplicates once it is back", async () => {
    const t = freshWallet();
    await fund(t, credits(100));
    await t.w.flush();
    await env.DB.exec("ALTER TABLE transactions RENAME TO transactions_off");
    try {
      await everyMovement(t);
      const failed = await t.w.flush();
      expect(failed).toMatchObject({ ok: false, pending: 4 });
      expect(await t.w.outboxSize()).toBe(4);
      // The wallet keeps working and its books stay right while D1 is down.
      expect(await t.w.balance()).toMatchObject({ balance: credits(114) });
      await expectBooksBalanced(t);
      // A retry is armed, with backoff.
      const alarm = await runInDurableObject(t.stub, (_w, state) => state.storage.getAlarm());
      expect(alarm).toBeGreaterThan(Date.now());
      expect(alarm).toBeLessThanOrEqual(Date.now() + 5_000);
    } finally {
      await env.DB.exec("ALTER TABLE transactions_off RENAME TO transactions");
    }
    // Nothing retries before the alarm (eager copies wait out the backoff).
    expect(await t.w.outboxSize()).toBe(4);
    expect(await d1Rows(t.companyId)).toHaveLength(1);

    await runDurableObjectAlarm(t.stub);
    expect(await t.w.outboxSize()).toBe(0);
    const ledger = await ledgerAsD1(t);
    expect(ledger).toHaveLength(5);
    expect(await d1Rows(t.companyId)).toEqual(ledger);

    // Flushing again, or re-sending everything (a crash after D1 accepted but before the cursor moved), duplicates nothing.
    expect(await t.w.flush()).toEqual({ ok: true, flushed: 0, pending: 0 });
    await runInDurableObject(t.stub, (_w, state) => {
      state.storage.sql.exec("UPDATE meta SET value = 0 WHERE key = 'flushed_seq'");
    });
    expect(await t.w.outboxSize()).toBe(5);
    expect(await t.w.flush()).toEqual({ ok: true, flushed: 5, pending: 0 });
    expect(await d1Rows(t.companyId)).toEqual(ledger);
  });
});
