import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { wallet } from "../../src/wallet/client";
import { credits, expectBooksBalanced, freshWallet, fund, rows, sale, type TestWallet } from "./helpers";
import { drained } from "../harness";

const DAY = 86_400_000;

/** A billed call, as the worker settles it, started at the wallet's own now (its clock may be moved ahead). */
async function call(t: TestWallet, requestId: string) {
  const startedAt = await t.w.advanceClock(0);
  return t.w.recordCall({
    call: { requestId, keyId: "ekey_t", productId: "ept_t", productType: "endpoint", sellerCompanyId: "co_seller", channel: "api", method: "GET", startedAt },
    result: { ok: true, rows: 1 },
    durationMs: 1,
    due: { credits: credits(1), sale: sale() },
  });
}

describe("retention: nothing in the wallet grows forever", () => {
  it("archives ledger entries and log rows past their horizon to R2, by month, with every figure unchanged", async () => {
    const t = freshWallet();
    await fund(t, credits(100));
    for (let i = 0; i < 5; i++) await call(t, `req_old_${i}`);
    const oldMonth = new Date(await t.w.advanceClock(0)).toISOString().slice(0, 7);
    const before = (await t.w.history({ limit: 500 })).reverse();
    await drained(t.companyId);
    // 450 days later, one more call: the old ones are past the 400-day horizon.
    await t.w.advanceClock(450 * DAY);
    await call(t, "req_new");
    await drained(t.companyId);
    const balance = await t.w.balance();
    await runDurableObjectAlarm(env.WALLET.getByName(t.companyId));

    expect(await t.w.balance()).toEqual(balance);
    const audit = await expectBooksBalanced(t);
    expect(audit).toMatchObject({ entries: 7, ledgerSum: credits(94) });
    const kept = await t.w.history({ limit: 500 });
    expect(kept.map((e) => e.operationId)).toEqual(["req_new"]);
    expect(await t.w.archivedLedger(oldMonth)).toEqual(before);
    expect(await rows(t, "SELECT request_id FROM calls")).toEqual([{ request_id: "req_new" }]);
    const segments = await env.ARCHIVE.list({ prefix: `archive/calls/${t.companyId}/${oldMonth}/` });
    expect(segments.objects).toHaveLength(1);
    // D1 keeps every ledger entry; its copies of the archived log rows go (the archive has them).
    await drained(t.companyId);
    const d1 = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM transactions WHERE company_id = ?1) AS entries, (SELECT group_concat(id) FROM request_logs WHERE company_id = ?1) AS logs",
    )
      .bind(t.companyId)
      .first<{ entries: number; logs: string }>();
    expect(d1).toEqual({ entries: 7, logs: "req_new" });
    // The ledger still refuses to delete what is not archived.
    await expect(runInDurableObject(t.stub, (_w, state) => state.storage.sql.exec("DELETE FROM ledger"))).rejects.toThrow(/append-only/);
  });

  it("never archives what the feed has not sent, nor the entry that carries the balance", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.advanceClock(450 * DAY);
    await runDurableObjectAlarm(env.WALLET.getByName(t.companyId));
    // The only entry is the balance's own: it stays.
    expect(await t.w.history({})).toHaveLength(1);
    await expectBooksBalanced(t);
  });

  it("deletes holds resolved more than a week ago", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "h1", credits: credits(1) });
    await t.w.release({ id: "h1" });
    await t.w.advanceClock(8 * DAY);
    await t.w.hold({ id: "h2", credits: credits(1) });
    await runDurableObjectAlarm(env.WALLET.getByName(t.companyId));
    expect(await rows(t, "SELECT id, status FROM holds ORDER BY id")).toEqual([{ id: "h2", status: "held" }]);
  });

  it("keeps a metered call's cost flat with a million ledger entries behind it", async () => {
    const measure = async (t: TestWallet) => {
      const w = wallet(env, t.companyId);
      const before = await w.storageStats();
      for (let i = 0; i < 20; i++) await call({ ...t, w }, `req_flat_${i}`);
      const after = await w.storageStats();
      return { read: (after.rowsRead - before.rowsRead) / 20, written: (after.rowsWritten - before.rowsWritten) / 20 };
    };
    const fresh = freshWallet();
    await fund(fresh, credits(1_000));
    const small = await measure(fresh);

    const t = freshWallet();
    await fund(t, credits(2_000_000));
    // A million charges, written straight into the ledger as the wallet would have (balance_after included).
    await runInDurableObject(t.stub, (_w, state) => {
      const sql = state.storage.sql;
      sql.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
        INSERT INTO ledger (seq, kind, operation_id, amount, balance_after, product_id, product_type, seller_company_id, gross_usd, seller_share_usd, platform_fee_usd, usd_per_credit, reason, created_at)
        SELECT i + 1, 'charge', 'gen_' || i, -1000000, 2000000000000 - i * 1000000, 'prod_weather', 'endpoint', 'co_seller', 500000, 400000, 100000, 500000, NULL, 1700000000000 + i FROM n`);
      sql.exec("UPDATE lots SET remaining = remaining - 1000000000000");
      sql.exec("INSERT INTO meta (key, value) VALUES ('fed_ledger_seq', 1000001) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    });
    await abortAllDurableObjects();
    const big = { ...t, w: wallet(env, t.companyId) };
    expect((await big.w.audit()).entries).toBe(1_000_001);
    await expectBooksBalanced(big);
    const large = await measure(big);
    // The same rows read and written per call, whatever the history behind it.
    expect(large).toEqual(small);
  }, 120_000);
});
