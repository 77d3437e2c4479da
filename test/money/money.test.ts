import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_PRICE_USD, MIN_PRICE_USD, asUsd, formatDecimal, parseDecimal, priceSale, split, usdToCredits, type CreditRate } from "../../src/money";

const today: CreditRate = { usdPerCredit: asUsd(500_000), platformFeeBps: 2000 };

describe("the money core", () => {
  it("splits every price a seller can set exactly: seller share + platform fee = gross", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_PRICE_USD, max: MAX_PRICE_USD }),
        // A credit worth anywhere from $0.01 to $100.
        fc.integer({ min: 10_000, max: 100_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (price, usdPerCredit, platformFeeBps) => {
          const rate = { usdPerCredit: asUsd(usdPerCredit), platformFeeBps };
          const sale = priceSale(asUsd(price), rate);
          expect(sale.sellerShare + sale.platformFee).toBe(sale.gross);
          expect(sale.sellerShare).toBeGreaterThanOrEqual(0);
          expect(sale.platformFee).toBeGreaterThanOrEqual(0);
          expect(Number.isSafeInteger(sale.credits)).toBe(true);
          // Rounded up: the credits charged are worth at least the price.
          expect(BigInt(sale.credits) * BigInt(usdPerCredit)).toBeGreaterThanOrEqual(BigInt(price) * 1_000_000n);
          expect((BigInt(sale.credits) - 1n) * BigInt(usdPerCredit)).toBeLessThan(BigInt(price) * 1_000_000n);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("pays sellers 80% at today's rate, as in the pricing table", () => {
    for (const [price, seller, fee] of [
      [0.5, 0.4, 0.1],
      [1, 0.8, 0.2],
      [2.5, 2, 0.5],
      [5, 4, 1],
      [10, 8, 2],
      [25, 20, 5],
    ] as const) {
      const s = split(asUsd(parseDecimal(price)!), today);
      expect([s.sellerShare, s.platformFee]).toEqual([parseDecimal(seller), parseDecimal(fee)]);
    }
    expect(usdToCredits(asUsd(5_000_000), today)).toBe(10_000_000); // $5 = 10 credits
    expect(usdToCredits(MIN_PRICE_USD, today)).toBe(200); // $0.0001 = 0.0002 credits
    expect(usdToCredits(MAX_PRICE_USD, today)).toBe(20_000 * 1_000_000);
  });

  it("parses decimals without floating point, and refuses anything else", () => {
    expect(parseDecimal("12.5")).toBe(12_500_000);
    expect(parseDecimal(0.1)).toBe(100_000);
    expect(parseDecimal("0.000001")).toBe(1);
    for (const bad of ["1.0000001", "1e3", "abc", "", " ", "1,5", "--1", "NaN", 0.0000001]) {
      expect(parseDecimal(bad)).toBeNull();
    }
    fc.assert(fc.property(fc.integer({ min: -1e15, max: 1e15 }), (micro) => {
      expect(parseDecimal(formatDecimal(micro))).toBe(micro);
    }));
  });
});
