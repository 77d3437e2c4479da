import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { credits, expectBooksBalanced, freshWallet, fund, rows, sale, sleepUntil, USD_PER_CREDIT, type TestWallet } from "./helpers";
import { codeOf } from "../harness";

function grant(t: TestWallet, id: string, amount: number, expiresAt: number, kind: "grant" | "allocation" = "grant") {
  return t.w.deposit({ id, kind, credits: credits(amount), expiresAt, usdPerCredit: USD_PER_CREDIT });
}

const lots = (t: TestWallet) => rows<{ operation_id: string; remaining: number }>(t, "SELECT operation_id, remaining FROM lots ORDER BY id");

describe("expiring credits", () => {
  it("spends the soonest-expiring lots first and credits bought by card last", async () => {
    const t = freshWallet();
    await fund(t, credits(10), "top_up");
    await grant(t, "grant_late", 5, Date.now() + 3_600_000);
    await grant(t, "alloc_soon", 5, Date.now() + 1_800_000, "allocation");
    await t.w.charge({ id: "c1", credits: credits(7), sale: sale() });
    expect(await lots(t)).toEqual([
      { operation_id: "top_up", remaining: credits(10) },
      { operation_id: "grant_late", remaining: credits(3) },
      { operation_id: "alloc_soon", remaining: 0 },
    ]);
    await t.w.hold({ id: "h", credits: credits(4) });
    expect((await lots(t)).map((l) => l.remaining)).toEqual([credits(9), 0, 0]);
    await expectBooksBalanced(t);
  });

  it("turns what is left of an expired lot into an expiry entry (lazily)", async () => {
    const t = freshWallet();
    await fund(t, credits(10), "top_up");
    // The wallet's clock, moved past the expiry: however slow the machine, the charge comes first.
    await grant(t, "promo", 5, Date.now() + 60_000);
    await t.w.charge({ id: "c1", credits: credits(2), sale: sale() });
    await runInDurableObject(t.stub, (_w, state) => state.storage.deleteAlarm());
    await t.w.advanceClock(61_000);
    expect(await t.w.balance()).toMatchObject({ balance: credits(10), available: credits(10) });
    const [expiry] = await t.w.history({ kinds: ["expiry"] });
    expect(expiry).toMatchObject({ kind: "expiry", operationId: "promo", amount: -credits(3), balanceAfter: credits(10) });
    expect(await lots(t)).toEqual([
      { operation_id: "top_up", remaining: credits(10) },
      { operation_id: "promo", remaining: 0 },
    ]);
    await expectBooksBalanced(t);
  });

  it("expires lots from the alarm too, without any operation", async () => {
    const t = freshWallet();
    const expiresAt = Date.now() + 250;
    await grant(t, "promo", 5, expiresAt);
    expect(await runInDurableObject(t.stub, (_w, state) => state.storage.getAlarm())).toBe(expiresAt);
    await sleepUntil(expiresAt);
    await runDurableObjectAlarm(t.stub);
    expect(await rows(t, "SELECT kind, amount, balance_after FROM ledger ORDER BY seq")).toEqual([
      { kind: "grant", amount: credits(5), balance_after: credits(5) },
      { kind: "expiry", amount: -credits(5), balance_after: 0 },
    ]);
    expect(await t.w.balance()).toMatchObject({ balance: 0, available: 0 });
  });

  it("lets a hold keep what it took from a lot that expires; what it gives back expires at once", async () => {
    const t = freshWallet();
    await grant(t, "promo", 5, Date.now() + 60_000);
    await fund(t, credits(2), "top_up");
    // Soonest-expiring first: both holds take from the promo (3 + 1 of its 5).
    await t.w.hold({ id: "h", credits: credits(3), ttlMs: 600_000 });
    await t.w.hold({ id: "h2", credits: credits(1), ttlMs: 600_000 });
    await t.w.advanceClock(61_000);
    // The promo's one unheld credit expires; the held 4 stay held.
    expect(await t.w.balance()).toMatchObject({ balance: credits(6), held: credits(4), available: credits(2) });
    const committed = await t.w.commit({ id: "h", credits: credits(2), sale: sale() });
    expect(committed.available).toBe(credits(2));
    // Released after the promo's expiry: the credit expires at once rather than coming back.
    expect((await t.w.release({ id: "h2" })).available).toBe(credits(2));
    expect((await t.w.history({})).reverse().map((e) => [e.kind, e.operationId, e.amount, e.balanceAfter])).toEqual([
      ["grant", "promo", credits(5), credits(5)],
      ["top_up", "top_up", credits(2), credits(7)],
      ["expiry", "promo", -credits(1), credits(6)],
      ["charge", "h", -credits(2), credits(4)],
      ["expiry", "promo", -credits(1), credits(3)],
      ["expiry", "promo", -credits(1), credits(2)],
    ]);
    expect(await t.w.balance()).toMatchObject({ balance: credits(2), held: 0, available: credits(2) });
    await expectBooksBalanced(t);
  });

  it("refuses an expiry on credits bought by card, or one already past", async () => {
    const t = freshWallet();
    expect(await codeOf(t.w.deposit({ id: "p", kind: "top_up", credits: credits(5), expiresAt: Date.now() + 60_000, usdPerCredit: USD_PER_CREDIT }))).toBe("BAD_REQUEST");
    expect(await codeOf(grant(t, "g", 5, Date.now() - 1))).toBe("BAD_REQUEST");
    expect(await t.w.balance()).toMatchObject({ balance: 0 });
  });
});
