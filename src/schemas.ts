import { z } from "zod";
import { MAX_CREDITS, MAX_PRICE_USD, MIN_PRICE_USD, asCredits, asUsd, parseDecimal, type Credits, type Usd } from "./money";

// Typed as a decimal for clients, but anything reaches the transform, so a
// null or an object is INVALID_AMOUNT like any other bad amount.
const decimalInput = z.custom<string | number>(() => true);

/**
 * An amount of credits as people write it: "12.5" or 12.5, at most six
 * decimals, more than zero, at most one billion. Parsed into micro-credits
 * without floating-point arithmetic.
 */
export const creditsAmount = decimalInput.transform((value, ctx): Credits => {
  const micro = typeof value === "string" || typeof value === "number" ? parseDecimal(value) : null;
  if (micro === null || micro <= 0 || micro > MAX_CREDITS) {
    ctx.addIssue({
      code: "custom",
      message: "Credits must be a number above 0 and at most 1,000,000,000, with at most 6 decimals.",
      params: { code: "INVALID_AMOUNT" },
    });
    return z.NEVER;
  }
  return asCredits(micro);
});

/** A price in USD as sellers write it: "0.0001" to "10000", 0 for a free product. */
export const usdPrice = decimalInput.transform((value, ctx): Usd => {
  const micro = typeof value === "string" || typeof value === "number" ? parseDecimal(value) : null;
  if (micro === null || (micro !== 0 && (micro < MIN_PRICE_USD || micro > MAX_PRICE_USD))) {
    ctx.addIssue({
      code: "custom",
      message: "A price is 0 (free) or between $0.0001 and $10,000, with at most 6 decimals.",
      params: { code: "INVALID_AMOUNT" },
    });
    return z.NEVER;
  }
  return asUsd(micro);
});

/** An idempotency id a caller may choose for a money movement. */
export const operationId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:-]+$/, "Use letters, digits and . _ : - only.");
