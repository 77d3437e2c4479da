import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TesseraError } from "../../src/errors";
import { MAX_CREDITS, type Credits } from "../../src/money";
import { walletOf } from "../../src/wallet/client";
import { credits, justOver, expectBooksBalanced, freshWallet, fund, sale, USD_PER_CREDIT, type TestWallet } from "./helpers";
import { codeOf } from "../harness";

// Over RPC anything can arrive; these are cast past the types on purpose.
const badAmounts: unknown[] = [-1, 0, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_CREDITS + 1, 2 ** 53, "5", null, 5n];

async function withNothingMoved(t: TestWallet, check: () => Promise<void>) {
  const before = await expectBooksBalanced(t);
  await check();
  expect(await expectBooksBalanced(t)).toEqual(before);
}

describe("bad input is refused with a clear code and moves nothing", () => {
  it("amounts that are not positive whole micro-credits up to MAX_CREDITS", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "open", credits: credits(5) });
    await withNothingMoved(t, async () => {
      for (const amount of badAmounts) {
        const c = amount as Credits;
        expect(await codeOf(t.w.deposit({ id: "d", kind: "grant", credits: c, usdPerCredit: USD_PER_CREDIT })), String(amount)).toBe("INVALID_AMOUNT");
        expect(await codeOf(t.w.hold({ id: "h", credits: c })), String(amount)).toBe("INVALID_AMOUNT");
        expect(await codeOf(t.w.charge({ id: "c", credits: c, sale: sale() })), String(amount)).toBe("INVALID_AMOUNT");
        expect(await codeOf(t.w.adjust({ id: "a", credits: c, reason: "r", usdPerCredit: USD_PER_CREDIT })), String(amount)).toBe("INVALID_AMOUNT");
        expect(await codeOf(t.w.commit({ id: "open", credits: c, sale: sale() })), String(amount)).toBe("INVALID_AMOUNT");
        expect(await codeOf(t.w.setLowBalanceThreshold(c)), String(amount)).toBe(amount === 0 ? "OK" : "INVALID_AMOUNT");
      }
    });
    // None of the refused ids was taken: they still work.
    expect((await t.w.hold({ id: "h", credits: credits(1) })).hold.status).toBe("held");
  });

  it("unknown kinds, missing ids, malformed sales, reasons and ttls", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await withNothingMoved(t, async () => {
      const deposit = { id: "d", kind: "grant", credits: credits(1), usdPerCredit: USD_PER_CREDIT } as const;
      expect(await codeOf(t.w.deposit({ ...deposit, kind: "gift" as "grant" }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.deposit({ ...deposit, kind: "charge" as "grant" }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.deposit({ ...deposit, id: "" }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.deposit({ ...deposit, id: 7 as unknown as string }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.deposit({ ...deposit, id: "x".repeat(201) }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.deposit({ ...deposit, sale: sale() }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.deposit({ ...deposit, usdPerCredit: 0 as typeof USD_PER_CREDIT }))).toBe("INVALID_AMOUNT");
      expect(await codeOf(t.w.deposit(null as never))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.charge({ id: "c", credits: credits(1), sale: sale({ sellerShareUsd: 400_001 as never }) }))).toBe("INVALID_AMOUNT");
      expect(await codeOf(t.w.charge({ id: "c", credits: credits(1), sale: sale({ productType: "dataset" as never }) }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.charge({ id: "c", credits: credits(1), sale: sale({ grossUsd: -1 as never }) }))).toBe("INVALID_AMOUNT");
      expect(await codeOf(t.w.charge({ id: "c", credits: credits(1) } as never))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.adjust({ id: "a", credits: credits(1), reason: "  ", usdPerCredit: USD_PER_CREDIT }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.adjust({ id: "a", credits: credits(1), usdPerCredit: USD_PER_CREDIT } as never))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.hold({ id: "h", credits: credits(1), ttlMs: 0 }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.hold({ id: "h", credits: credits(1), ttlMs: 1.5 }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.hold({ id: "h", credits: credits(1), ttlMs: 8 * 24 * 3_600_000 }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.release({} as never))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.history({ kinds: ["gift" as "grant"] }))).toBe("BAD_REQUEST");
      expect(await codeOf(t.w.history({ limit: 0 }))).toBe("BAD_REQUEST");
    });
  });

  it("overdrafts: INSUFFICIENT_CREDITS for hold, charge and adjust beyond available", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    await t.w.hold({ id: "open", credits: credits(4) });
    await withNothingMoved(t, async () => {
      expect(await codeOf(t.w.hold({ id: "h", credits: justOver(6) }))).toBe("INSUFFICIENT_CREDITS");
      expect(await codeOf(t.w.charge({ id: "c", credits: justOver(6), sale: sale() }))).toBe("INSUFFICIENT_CREDITS");
      expect(await codeOf(t.w.adjust({ id: "a", credits: justOver(6), reason: "r", usdPerCredit: USD_PER_CREDIT }))).toBe("INSUFFICIENT_CREDITS");
    });
    // Exactly what is available is fine.
    expect((await t.w.charge({ id: "c", credits: credits(6), sale: sale() })).available).toBe(0);
  });

  it("accepts MAX_CREDITS per movement but refuses a balance past the safe-integer range", async () => {
    const t = freshWallet();
    for (let i = 0; i < 9; i++) await fund(t, MAX_CREDITS);
    expect(await codeOf(fund(t, MAX_CREDITS))).toBe("INVALID_AMOUNT");
    expect((await expectBooksBalanced(t)).balance).toBe(9 * MAX_CREDITS);
  });

  it("answers a refusal as a value over RPC (never an exception of the object), which the client throws as a TesseraError", async () => {
    const t = freshWallet();
    const refused = await t.w.hold({ id: "h", credits: credits(1) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TesseraError);
    expect(refused).toMatchObject({ code: "INSUFFICIENT_CREDITS", status: 402 });
    const raw = await walletOf(env, t.companyId).hold({ id: "h", credits: credits(1) });
    expect(raw).toEqual({ refused: { code: "INSUFFICIENT_CREDITS", message: "Needs 1 credits; 0 available." } });
  });
});
