import { describe, expect, it } from "vitest";
import { credits, expectBooksBalanced, freshWallet, fund, rows, sale } from "./helpers";
import { codeOf } from "../harness";

async function ledgerSum(t: ReturnType<typeof freshWallet>) {
  const [row] = await rows<{ total: number; count: number }>(t, "SELECT sum(amount) AS total, count(*) AS count FROM ledger");
  return row!;
}

describe("the wallet under concurrency", () => {
  it("lets exactly 300 of 500 parallel one-credit holds through against 300 credits", async () => {
    const t = freshWallet();
    await fund(t, credits(300));
    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, i) => codeOf(t.w.hold({ id: `hold_${i}`, credits: credits(1) }))),
    );
    expect(outcomes.filter((c) => c === "OK")).toHaveLength(300);
    expect(outcomes.filter((c) => c === "INSUFFICIENT_CREDITS")).toHaveLength(200);
    expect(await t.w.balance()).toMatchObject({ balance: credits(300), held: credits(300), available: 0 });
    // Holds move no credits: the ledger still holds only the deposit.
    expect(await ledgerSum(t)).toEqual({ total: credits(300), count: 1 });
    await expectBooksBalanced(t);
  });

  it("lets exactly 300 of 500 parallel one-credit charges through against 300 credits", async () => {
    const t = freshWallet();
    await fund(t, credits(300));
    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, i) => codeOf(t.w.charge({ id: `charge_${i}`, credits: credits(1), sale: sale() }))),
    );
    expect(outcomes.filter((c) => c === "OK")).toHaveLength(300);
    expect(outcomes.filter((c) => c === "INSUFFICIENT_CREDITS")).toHaveLength(200);
    expect(await t.w.balance()).toMatchObject({ balance: 0, held: 0, available: 0 });
    expect(await ledgerSum(t)).toEqual({ total: 0, count: 301 });
    await expectBooksBalanced(t);
  });

  it("keeps available at or above zero when commits, releases and new holds race", async () => {
    const t = freshWallet();
    await fund(t, credits(100));
    await Promise.all(Array.from({ length: 100 }, (_, i) => t.w.hold({ id: `h${i}`, credits: credits(1) })));
    const outcomes = await Promise.all([
      ...Array.from({ length: 50 }, (_, i) => codeOf(t.w.commit({ id: `h${i}`, sale: sale() }))),
      ...Array.from({ length: 50 }, (_, i) => codeOf(t.w.release({ id: `h${50 + i}` }))),
      ...Array.from({ length: 100 }, (_, i) => codeOf(t.w.hold({ id: `again_${i}`, credits: credits(1) }))),
    ]);
    expect(outcomes.slice(0, 100).every((c) => c === "OK")).toBe(true);
    const newHolds = outcomes.slice(100);
    const balance = await t.w.balance();
    // 50 committed; of the 50 released, exactly as many were re-held as there was room for.
    expect(balance.balance).toBe(credits(50));
    expect(balance.held).toBe(credits(newHolds.filter((c) => c === "OK").length));
    expect(balance.available).toBe(balance.balance - balance.held);
    expect(newHolds.every((c) => c === "OK" || c === "INSUFFICIENT_CREDITS")).toBe(true);
    await expectBooksBalanced(t);
  });
});
