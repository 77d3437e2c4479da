/**
 * What credits cost in cents, the unit Stripe charges in.
 *
 * The one rounding rule for credit prices: the exact price
 * (micro-credits × micro-dollars per credit × (1 − discount)) is computed in
 * integers and rounded once, half up, to the cent. At today's $0.50 a credit
 * every catalogue price is already a whole number of cents, so the rule only
 * matters if the credit value changes.
 */
import { MICRO, type Credits, type Usd } from "../money";

/** The smallest on-demand order, in whole credits (first source document's FAQ). */
export const MIN_ON_DEMAND_CREDITS = 10;
/** The largest single purchase: a million credits ($500,000 at $0.50), under Stripe's per-charge limit. */
export const MAX_ON_DEMAND_CREDITS = 1_000_000;

/** An on-demand order (or refill) is whole credits from the smallest to the largest. */
export function isOnDemandCredits(credits: unknown): credits is number {
  return typeof credits === "number" && Number.isSafeInteger(credits) && credits >= MIN_ON_DEMAND_CREDITS && credits <= MAX_ON_DEMAND_CREDITS;
}

export const ON_DEMAND_CREDITS_RULE = `Buy at least ${MIN_ON_DEMAND_CREDITS} credits, in whole credits, and at most ${MAX_ON_DEMAND_CREDITS.toLocaleString("en-US")}.`;

const BPS = 10_000n;
/** micro-credits × micro-USD per credit / MICRO = micro-USD; / 10,000 = cents. */
const CENTS_DENOMINATOR = BigInt(MICRO) * 10_000n * BPS;

/** The price of `credits` at `usdPerCredit`, less `discountBps`, in cents (half up). */
export function priceCents(credits: Credits, usdPerCredit: Usd, discountBps = 0): number {
  if (!Number.isSafeInteger(discountBps) || discountBps < 0 || discountBps > 10_000) {
    throw new RangeError(`discount out of range: ${discountBps} bps`);
  }
  const exact = BigInt(credits) * BigInt(usdPerCredit) * (BPS - BigInt(discountBps));
  return Number((exact * 2n + CENTS_DENOMINATOR) / (2n * CENTS_DENOMINATOR));
}

/** Cents as a USD number for display ("231.25" → 231.25). */
export function centsToUsdNumber(cents: number): number {
  return cents / 100;
}

/** Whole credits in micro-credits. */
export function wholeCredits(n: number): Credits {
  return (n * MICRO) as Credits;
}
