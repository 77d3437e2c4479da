import { describe, expect, it } from "vitest";
import type { Usd } from "../../src/money";
import { credits, expectBooksBalanced, freshWallet, fund, sale, USD_PER_CREDIT, type TestWallet } from "./helpers";
import { codeOf } from "../harness";

/** Balance, held and entry count: what "nothing moved" compares. */
async function state(t: TestWallet) {
  const audit = await expectBooksBalanced(t);
  return { balance: audit.balance, held: audit.held, entries: audit.entries };
}

describe("idempotent retries return the first outcome and move nothing", () => {
  it("deposit", async () => {
    const t = freshWallet();
    const input = { id: "pi_123", kind: "top_up" as const, credits: credits(50), usdPerCredit: USD_PER_CREDIT };
    const first = await t.w.deposit(input);
    const before = await state(t);
    expect(await t.w.deposit(input)).toEqual(first);
    expect(await t.w.deposit({ ...input })).toEqual(first);
    expect(await state(t)).toEqual(before);
    expect(before).toEqual({ balance: credits(50), held: 0, entries: 1 });
  });

  it("refund deposit with the sale's keys in another order", async () => {
    const t = freshWallet();
    const s = sale();
    const reordered = Object.fromEntries(Object.entries(s).reverse()) as typeof s;
    const first = await t.w.deposit({ id: "rf_1", kind: "refund", credits: credits(1), sale: s, usdPerCredit: USD_PER_CREDIT });
    expect(first).toMatchObject({ kind: "refund", productId: s.productId, grossUsd: s.grossUsd });
    expect(await t.w.deposit({ id: "rf_1", kind: "refund", credits: credits(1), sale: reordered, usdPerCredit: USD_PER_CREDIT })).toEqual(first);
    expect((await state(t)).entries).toBe(1);
  });

  it("adjust", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    const input = { id: "adj_1", credits: credits(3), reason: "duplicate grant", usdPerCredit: USD_PER_CREDIT };
    const first = await t.w.adjust(input);
    const before = await state(t);
    expect(await t.w.adjust(input)).toEqual(first);
    expect(await state(t)).toEqual(before);
    expect(before.balance).toBe(credits(7));
  });

  it("hold, even after the hold was committed (the first outcome, not the current state)", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    const first = await t.w.hold({ id: "req_1", credits: credits(4) });
    expect(first.hold).toMatchObject({ status: "held", credits: credits(4) });
    expect(await t.w.hold({ id: "req_1", credits: credits(4) })).toEqual(first);
    expect(await t.w.hold({ id: "req_1", credits: credits(4), ttlMs: 5 * 60_000 })).toEqual(first);
    await t.w.commit({ id: "req_1", sale: sale() });
    const before = await state(t);
    expect(await t.w.hold({ id: "req_1", credits: credits(4) })).toEqual(first);
    expect(await state(t)).toEqual(before);
  });

  it("commit", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "req_1", credits: credits(4) });
    const first = await t.w.commit({ id: "req_1", credits: credits(3), sale: sale() });
    const before = await state(t);
    expect(await t.w.commit({ id: "req_1", credits: credits(3), sale: sale() })).toEqual(first);
    expect(await state(t)).toEqual(before);
    expect(before).toEqual({ balance: credits(7), held: 0, entries: 2 });
  });

  it("commit of the whole hold, with the amount omitted or spelled out", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "req_1", credits: credits(4) });
    const first = await t.w.commit({ id: "req_1", sale: sale() });
    expect(await t.w.commit({ id: "req_1", credits: credits(4), sale: sale() })).toEqual(first);
    expect((await state(t)).balance).toBe(credits(6));
  });

  it("release", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "req_1", credits: credits(4) });
    const first = await t.w.release({ id: "req_1" });
    expect(first).toMatchObject({ hold: { status: "released" }, available: credits(10) });
    await t.w.hold({ id: "req_2", credits: credits(1) });
    expect(await t.w.release({ id: "req_1" })).toEqual(first);
    expect(await state(t)).toEqual({ balance: credits(10), held: credits(1), entries: 1 });
  });

  it("charge", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    const first = await t.w.charge({ id: "req_1", credits: credits(2), sale: sale() });
    const before = await state(t);
    expect(await t.w.charge({ id: "req_1", credits: credits(2), sale: sale() })).toEqual(first);
    expect(await state(t)).toEqual(before);
    expect(before).toEqual({ balance: credits(8), held: 0, entries: 2 });
  });
});

describe("reusing an id with other parameters is CONFLICT and moves nothing", () => {
  it("deposit: another amount, kind, expiry or rate", async () => {
    const t = freshWallet();
    const input = { id: "pi_123", kind: "grant" as const, credits: credits(50), usdPerCredit: USD_PER_CREDIT };
    await t.w.deposit(input);
    const before = await state(t);
    expect(await codeOf(t.w.deposit({ ...input, credits: credits(51) }))).toBe("CONFLICT");
    expect(await codeOf(t.w.deposit({ ...input, kind: "allocation" }))).toBe("CONFLICT");
    expect(await codeOf(t.w.deposit({ ...input, expiresAt: Date.now() + 60_000 }))).toBe("CONFLICT");
    expect(await codeOf(t.w.deposit({ ...input, usdPerCredit: 400_000 as Usd }))).toBe("CONFLICT");
    expect(await codeOf(t.w.deposit({ ...input, reason: "other" }))).toBe("CONFLICT");
    expect(await state(t)).toEqual(before);
  });

  it("adjust and deposit share one id space", async () => {
    const t = freshWallet();
    await fund(t, credits(10), "op_1");
    const before = await state(t);
    expect(await codeOf(t.w.adjust({ id: "op_1", credits: credits(1), reason: "x", usdPerCredit: USD_PER_CREDIT }))).toBe("CONFLICT");
    await t.w.adjust({ id: "adj", credits: credits(1), reason: "x", usdPerCredit: USD_PER_CREDIT });
    expect(await codeOf(t.w.adjust({ id: "adj", credits: credits(2), reason: "x", usdPerCredit: USD_PER_CREDIT }))).toBe("CONFLICT");
    expect(await codeOf(t.w.deposit({ id: "adj", kind: "grant", credits: credits(1), usdPerCredit: USD_PER_CREDIT }))).toBe("CONFLICT");
    expect(await state(t)).toEqual({ ...before, balance: credits(9), entries: 2 });
  });

  it("hold: another amount or ttl; hold and charge share one id space", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "req_1", credits: credits(4) });
    await t.w.charge({ id: "req_2", credits: credits(1), sale: sale() });
    const before = await state(t);
    expect(await codeOf(t.w.hold({ id: "req_1", credits: credits(5) }))).toBe("CONFLICT");
    expect(await codeOf(t.w.hold({ id: "req_1", credits: credits(4), ttlMs: 1_000 }))).toBe("CONFLICT");
    expect(await codeOf(t.w.charge({ id: "req_1", credits: credits(4), sale: sale() }))).toBe("CONFLICT");
    expect(await codeOf(t.w.hold({ id: "req_2", credits: credits(1) }))).toBe("CONFLICT");
    expect(await state(t)).toEqual(before);
  });

  it("charge: another amount or sale", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.charge({ id: "req_1", credits: credits(2), sale: sale() });
    const before = await state(t);
    expect(await codeOf(t.w.charge({ id: "req_1", credits: credits(3), sale: sale() }))).toBe("CONFLICT");
    expect(await codeOf(t.w.charge({ id: "req_1", credits: credits(2), sale: sale({ productId: "prod_other" }) }))).toBe("CONFLICT");
    // A charge is not a commit: committing or releasing its id is refused.
    expect(await codeOf(t.w.commit({ id: "req_1", sale: sale() }))).toBe("HOLD_RESOLVED");
    expect(await codeOf(t.w.release({ id: "req_1" }))).toBe("HOLD_RESOLVED");
    expect(await state(t)).toEqual(before);
  });

  it("commit: another sale after the commit is HOLD_RESOLVED", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "req_1", credits: credits(4) });
    await t.w.commit({ id: "req_1", credits: credits(3), sale: sale() });
    const before = await state(t);
    expect(await codeOf(t.w.commit({ id: "req_1", credits: credits(3), sale: sale({ productType: "asset" }) }))).toBe("HOLD_RESOLVED");
    expect(await state(t)).toEqual(before);
  });
});
