import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { credits, justOver, expectBooksBalanced, freshWallet, fund, rows, sale, sleepUntil } from "./helpers";
import { codeOf } from "../harness";

describe("hold lifecycle", () => {
  it("reserves without moving the balance, default ttl five minutes", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    const before = Date.now();
    const { hold, available } = await t.w.hold({ id: "h", credits: credits(4) });
    expect(hold).toMatchObject({ id: "h", credits: credits(4), status: "held", committed: 0 });
    expect(hold.expiresAt - before).toBeGreaterThanOrEqual(5 * 60_000);
    expect(hold.expiresAt - before).toBeLessThan(5 * 60_000 + 5_000);
    expect(available).toBe(credits(6));
    expect(await t.w.balance()).toMatchObject({ balance: credits(10), held: credits(4), available: credits(6) });
    expect(await t.w.getHold("h")).toEqual(hold);
    expect(await t.w.getHold("nope")).toBeNull();
  });

  it("a partial commit charges the part and releases the rest", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "h", credits: credits(4) });
    const result = await t.w.commit({ id: "h", credits: credits(1.5), sale: sale() });
    expect(result.hold).toMatchObject({ status: "committed", credits: credits(4), committed: credits(1.5) });
    expect(result.entry).toMatchObject({
      kind: "charge",
      operationId: "h",
      amount: -credits(1.5),
      balanceAfter: credits(8.5),
      productId: "prod_weather",
      productType: "endpoint",
      sellerCompanyId: "co_seller",
      grossUsd: 500_000,
      sellerShareUsd: 400_000,
      platformFeeUsd: 100_000,
      usdPerCredit: 500_000,
    });
    expect(result.entry.id).toBe(`${t.companyId}:2`);
    expect(result.available).toBe(credits(8.5));
    expect(await t.w.balance()).toMatchObject({ balance: credits(8.5), held: 0, available: credits(8.5) });
    expect(await t.w.getHold("h")).toMatchObject({ status: "committed", committed: credits(1.5) });
    await expectBooksBalanced(t);
  });

  it("refuses commit after release, release after commit, a second different commit", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "released", credits: credits(2) });
    await t.w.hold({ id: "committed", credits: credits(2) });
    await t.w.release({ id: "released" });
    await t.w.commit({ id: "committed", sale: sale() });
    const before = await expectBooksBalanced(t);
    expect(await codeOf(t.w.commit({ id: "released", sale: sale() }))).toBe("HOLD_RESOLVED");
    expect(await codeOf(t.w.release({ id: "committed" }))).toBe("HOLD_RESOLVED");
    expect(await codeOf(t.w.commit({ id: "committed", credits: credits(1), sale: sale() }))).toBe("HOLD_RESOLVED");
    expect(await expectBooksBalanced(t)).toEqual(before);
    expect(before).toMatchObject({ balance: credits(8), held: 0 });
  });

  it("refuses to commit more than held, and the hold stays open", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "h", credits: credits(2) });
    expect(await codeOf(t.w.commit({ id: "h", credits: justOver(2), sale: sale() }))).toBe("INVALID_AMOUNT");
    expect(await t.w.getHold("h")).toMatchObject({ status: "held" });
    expect(await t.w.balance()).toMatchObject({ balance: credits(10), held: credits(2) });
    expect((await t.w.commit({ id: "h", credits: credits(2), sale: sale() })).entry.amount).toBe(-credits(2));
  });

  it("answers NOT_FOUND for an unknown hold", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    expect(await codeOf(t.w.commit({ id: "ghost", sale: sale() }))).toBe("NOT_FOUND");
    expect(await codeOf(t.w.release({ id: "ghost" }))).toBe("NOT_FOUND");
  });

  it("arms the alarm for the hold's expiry, and the alarm releases it", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    const { hold } = await t.w.hold({ id: "h", credits: credits(3), ttlMs: 200 });
    await t.w.hold({ id: "later", credits: credits(1), ttlMs: 60_000 });
    const alarm = await runInDurableObject(t.stub, (_w, state) => state.storage.getAlarm());
    expect(alarm).toBeLessThanOrEqual(hold.expiresAt);
    await sleepUntil(hold.expiresAt);
    // The alarm may already have fired on its own; either way it is the alarm, not an operation, that
    // released the hold: the storage is read directly, without calling the wallet.
    await runDurableObjectAlarm(t.stub);
    expect(await rows(t, "SELECT status FROM holds ORDER BY id")).toEqual([{ status: "expired" }, { status: "held" }]);
    expect(await rows(t, "SELECT count(*) AS n FROM hold_lots WHERE hold_id = 'h'")).toEqual([{ n: 0 }]);
    expect(await t.w.balance()).toMatchObject({ balance: credits(10), held: credits(1), available: credits(9) });
    expect(await codeOf(t.w.commit({ id: "h", sale: sale() }))).toBe("HOLD_RESOLVED");
    expect(await codeOf(t.w.release({ id: "h" }))).toBe("HOLD_RESOLVED");
    // The alarm re-armed for the other hold.
    expect(await runInDurableObject(t.stub, (_w, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now());
    await expectBooksBalanced(t);
  });

  it("expires a hold lazily when an operation runs after its time, alarm or not", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    const { hold } = await t.w.hold({ id: "h", credits: credits(3), ttlMs: 200 });
    await runInDurableObject(t.stub, (_w, state) => state.storage.deleteAlarm());
    await sleepUntil(hold.expiresAt);
    expect(await codeOf(t.w.commit({ id: "h", sale: sale() }))).toBe("HOLD_RESOLVED");
    expect(await t.w.getHold("h")).toMatchObject({ status: "expired", committed: 0 });
    expect(await t.w.balance()).toMatchObject({ balance: credits(10), held: 0, available: credits(10) });
    await expectBooksBalanced(t);
  });
});
