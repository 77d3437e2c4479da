import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { wallet, walletOf } from "../../src/wallet/client";
import { credits, justOver, expectBooksBalanced, freshWallet, fund, sale, sleep, USD_PER_CREDIT } from "./helpers";

describe("balance", () => {
  it("warns below the default threshold of 20 credits, and below a company's own", async () => {
    const t = freshWallet();
    expect(await t.w.balance()).toEqual({
      balance: 0,
      held: 0,
      available: 0,
      lowBalanceThreshold: credits(20),
      lowBalanceWarning: true,
    });
    await fund(t, credits(25));
    expect((await t.w.balance()).lowBalanceWarning).toBe(false);
    await t.w.hold({ id: "h", credits: justOver(5) });
    // Held credits are not available: 19.999999 < 20.
    expect(await t.w.balance()).toMatchObject({ available: credits(20) - 1, lowBalanceWarning: true });
    expect(await t.w.setLowBalanceThreshold(credits(10))).toMatchObject({ lowBalanceThreshold: credits(10), lowBalanceWarning: false });
    expect(await t.w.setLowBalanceThreshold(credits(0))).toMatchObject({ lowBalanceWarning: false });
    await t.w.setLowBalanceThreshold(credits(10));
    expect((await t.w.balance()).lowBalanceThreshold).toBe(credits(10));
  });

  it("survives the object restarting: totals are rebuilt from storage", async () => {
    const t = freshWallet();
    await fund(t, credits(50));
    await t.w.hold({ id: "h", credits: credits(5) });
    await t.w.charge({ id: "c", credits: credits(3), sale: sale() });
    await t.w.setLowBalanceThreshold(credits(30));
    const before = await t.w.balance();
    await t.w.flush();
    await abortAllDurableObjects();
    // Stubs of an aborted object are dead; a new one reaches the restarted object.
    const again = { ...t, w: wallet(env, t.companyId), stub: walletOf(env, t.companyId) };
    expect(await again.w.balance()).toEqual(before);
    expect(before).toMatchObject({ balance: credits(47), held: credits(5), lowBalanceThreshold: credits(30) });
    await expectBooksBalanced(again);
    expect((await again.w.commit({ id: "h", sale: sale() })).entry.seq).toBe(3);
  });
});

describe("history", () => {
  it("lists entries newest first, filters by kind and time, and pages by seq", async () => {
    const t = freshWallet();
    await fund(t, credits(100), "p1");
    await t.w.deposit({ id: "g1", kind: "grant", credits: credits(10), reason: "welcome", usdPerCredit: USD_PER_CREDIT });
    await sleep(5);
    const middle = Date.now();
    for (let i = 0; i < 5; i++) await t.w.charge({ id: `c${i}`, credits: credits(1), sale: sale() });
    await t.w.adjust({ id: "a1", credits: credits(2), reason: "correction", usdPerCredit: USD_PER_CREDIT });

    const all = await t.w.history({});
    expect(all.map((e) => e.seq)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(all[0]).toMatchObject({ kind: "adjustment", amount: -credits(2), reason: "correction", balanceAfter: credits(103) });

    expect((await t.w.history({ kinds: ["charge"] })).map((e) => e.operationId)).toEqual(["c4", "c3", "c2", "c1", "c0"]);
    expect((await t.w.history({ kinds: ["top_up", "grant"] })).map((e) => e.operationId)).toEqual(["g1", "p1"]);

    const page1 = await t.w.history({ limit: 3 });
    const page2 = await t.w.history({ limit: 3, beforeSeq: page1.at(-1)!.seq });
    const page3 = await t.w.history({ limit: 3, beforeSeq: page2.at(-1)!.seq });
    expect([...page1, ...page2, ...page3]).toEqual(all);

    const since = await t.w.history({ from: middle });
    expect(since.map((e) => e.kind)).toEqual(["adjustment", "charge", "charge", "charge", "charge", "charge"]);
    expect((await t.w.history({ to: middle })).map((e) => e.operationId)).toEqual(["g1", "p1"]);
  });

  it("is append-only: the ledger refuses edits even from inside the object", async () => {
    const t = freshWallet();
    await fund(t, credits(1));
    const attempt = (sql: string) =>
      runInDurableObject(t.stub, (_w, state) => {
        try {
          state.storage.sql.exec(sql);
          return "changed";
        } catch (error) {
          return String(error);
        }
      });
    expect(await attempt("UPDATE ledger SET amount = 999")).toMatch(/append-only/);
    expect(await attempt("DELETE FROM ledger")).toMatch(/append-only/);
    expect((await t.w.history({}))[0]!.amount).toBe(credits(1));
  });
});
