import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { wallet, walletOf } from "../../src/wallet/client";
import { codeOf, eventually } from "../harness";
import { credits, expectBooksBalanced, freshWallet, rows, USD_PER_CREDIT } from "./helpers";

const JAN_2020 = Date.UTC(2020, 0, 15);
const row = (seq: number, kind: string, operationId: string, amount: number, balanceAfter: number, reason: string, at: number) => ({
  seq,
  kind,
  operation_id: operationId,
  amount,
  balance_after: balanceAfter,
  product_id: null,
  product_type: null,
  seller_company_id: null,
  gross_usd: null,
  seller_share_usd: null,
  platform_fee_usd: null,
  usd_per_credit: USD_PER_CREDIT,
  reason,
  created_at: at,
});

/**
 * A wallet as the code before the rename left it: a card top-up archived to
 * R2, a plan period's credits and a second top-up in its ledger, all stored
 * under the former kinds (`purchase`, `subscription`), and the deposits'
 * fingerprints carrying them.
 */
async function walletOfOldKinds() {
  const t = freshWallet();
  await t.w.balance();
  const now = Date.now();
  const archived = row(1, "purchase", "stripe:pi_old", credits(10), credits(10), "10 credits", JAN_2020);
  const ledger = [
    row(2, "subscription", "stripe:in_old", credits(113), credits(123), "Plan starter", now - 2000),
    row(3, "purchase", "stripe:pi_new", credits(40), credits(163), "40 credits", now - 1000),
  ];
  await env.ARCHIVE.put(`archive/ledger/${t.companyId}/2020-01/1-1.ndjson`, JSON.stringify(archived) + "\n");
  await runInDurableObject(t.stub, (_w, state) => {
    const sql = state.storage.sql;
    for (const r of ledger) {
      sql.exec(
        `INSERT INTO ledger (${Object.keys(r).join(", ")}) VALUES (${Object.keys(r).map(() => "?").join(", ")})`,
        ...Object.values(r),
      );
    }
    // The archived top-up's 10 credits are in the lot of seq 1 still (lots outlive the entries retention archives).
    for (const [seq, id, remaining] of [[1, "stripe:pi_old", credits(10)], [2, "stripe:in_old", credits(113)], [3, "stripe:pi_new", credits(40)]] as const) {
      sql.exec("INSERT INTO lots (id, operation_id, expires_at, expires_key, remaining, usd_per_credit) VALUES (?, ?, NULL, ?, ?, ?)", seq, id, Number.MAX_SAFE_INTEGER, remaining, USD_PER_CREDIT);
    }
    // Fingerprints exactly as the former code wrote them: ["deposit", kind, credits, expiresAt, reason, sale, usdPerCredit].
    sql.exec("INSERT INTO operations (id, fingerprint, entry_seq) VALUES (?, ?, 1), (?, ?, 2), (?, ?, 3)",
      "stripe:pi_old", `["deposit","purchase",${credits(10)},null,"10 credits",null,${USD_PER_CREDIT}]`,
      "stripe:in_old", `["deposit","subscription",${credits(113)},null,"Plan starter",null,${USD_PER_CREDIT}]`,
      "stripe:pi_new", `["deposit","purchase",${credits(40)},null,"40 credits",null,${USD_PER_CREDIT}]`);
    for (const [key, value] of [["archived_seq", 1], ["archived_entries", 1], ["archived_sum", credits(10)], ["fed_ledger_seq", 1]] as const) {
      sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
    }
    sql.exec("DELETE FROM meta WHERE key = 'schema_version'");
  });
  await abortAllDurableObjects();
  return { ...t, w: wallet(env, t.companyId), stub: walletOf(env, t.companyId) };
}

describe("a wallet made before the deposit kinds were renamed", () => {
  it("shows its entries under the new kinds once restarted, and its books still balance", async () => {
    const t = await walletOfOldKinds();
    expect((await t.w.history({})).map((e) => [e.seq, e.kind])).toEqual([
      [3, "top_up"],
      [2, "plan"],
    ]);
    expect((await t.w.history({ kinds: ["top_up"] })).map((e) => e.operationId)).toEqual(["stripe:pi_new"]);
    expect(await rows(t, "SELECT DISTINCT kind FROM ledger ORDER BY kind")).toEqual([{ kind: "plan" }, { kind: "top_up" }]);
    expect(await t.w.archivedLedger("2020-01")).toMatchObject([{ seq: 1, kind: "top_up", operationId: "stripe:pi_old" }]);
    expect(await t.w.balance()).toMatchObject({ balance: credits(163), available: credits(163) });
    expect(await expectBooksBalanced(t)).toMatchObject({ entries: 3, ledgerSum: credits(163) });
    // The ledger is append-only again after its one rewrite.
    await expect(runInDurableObject(t.stub, (_w, state) => state.storage.sql.exec("UPDATE ledger SET reason = 'x'"))).rejects.toThrow(/append-only/);
  });

  it("returns a deposit's first outcome when its Stripe event comes again after the rename", async () => {
    const t = await walletOfOldKinds();
    const [first] = await t.w.history({ kinds: ["top_up"] });
    const again = await t.w.deposit({ id: "stripe:pi_new", kind: "top_up", credits: credits(40), reason: "40 credits", usdPerCredit: USD_PER_CREDIT });
    expect(again).toEqual(first);
    const plan = await t.w.deposit({ id: "stripe:in_old", kind: "plan", credits: credits(113), reason: "Plan starter", usdPerCredit: USD_PER_CREDIT });
    expect(plan).toMatchObject({ seq: 2, kind: "plan", amount: credits(113) });
    // Other parameters are still a conflict, and nothing moved.
    expect(await codeOf(t.w.deposit({ id: "stripe:pi_new", kind: "plan", credits: credits(40), reason: "40 credits", usdPerCredit: USD_PER_CREDIT }))).toBe("CONFLICT");
    expect(await t.w.balance()).toMatchObject({ balance: credits(163) });
    expect(await expectBooksBalanced(t)).toMatchObject({ entries: 3 });
  });

  it("rewrites its storage once: a second restart changes nothing, and the feed sends the new kinds", async () => {
    const t = await walletOfOldKinds();
    const before = await t.w.history({});
    expect(await rows(t, "SELECT value FROM meta WHERE key = 'schema_version'")).toEqual([{ value: 1 }]);
    await abortAllDurableObjects();
    const again = { ...t, w: wallet(env, t.companyId) };
    expect(await again.w.history({})).toEqual(before);
    await again.w.flush();
    await eventually(async () => {
      const { results } = await env.DB.prepare("SELECT seq, kind FROM transactions WHERE company_id = ? ORDER BY seq").bind(t.companyId).all();
      expect(results).toEqual([
        { seq: 2, kind: "plan" },
        { seq: 3, kind: "top_up" },
      ]);
    }, "the feed");
  });
});
