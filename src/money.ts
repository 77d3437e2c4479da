/**
 * The money core: units, conversion and rounding, in one place.
 *
 * Everything is an integer. Credits are counted in micro-credits (1 credit =
 * 1,000,000) and dollars in micro-dollars (1 USD = 1,000,000), so the smallest
 * price a seller can set ($0.0001) is 100 micro-dollars and splits 80/20
 * without loss. Numbers stay far below 2^53: ten billion credits fit.
 *
 * Rounding rule, the only one: a USD price converts to credits rounding *up*
 * to the next micro-credit (the buyer never pays less than the price), and the
 * seller's share rounds *down* to the micro-dollar with the platform fee taking
 * the remainder, so `sellerShare + platformFee === gross` always.
 */

declare const credits: unique symbol;
declare const usd: unique symbol;

/** Micro-credits. */
export type Credits = number & { readonly [credits]: true };
/** Micro-dollars. */
export type Usd = number & { readonly [usd]: true };

export const MICRO = 1_000_000;
/** The largest amount of credits one movement may carry: one billion credits. */
export const MAX_CREDITS = (1_000_000_000 * MICRO) as Credits;
/** Prices a seller may set, per execution or request: $0.0001 to $10,000. */
export const MIN_PRICE_USD = 100 as Usd;
export const MAX_PRICE_USD = (10_000 * MICRO) as Usd;

export function asCredits(micro: number): Credits {
  if (!Number.isSafeInteger(micro)) throw new RangeError(`not a whole number of micro-credits: ${micro}`);
  return micro as Credits;
}

export function asUsd(micro: number): Usd {
  if (!Number.isSafeInteger(micro)) throw new RangeError(`not a whole number of micro-dollars: ${micro}`);
  return micro as Usd;
}

const DECIMAL = /^(-)?(\d{1,13})(?:\.(\d{1,6}))?$/;

/**
 * Parses a decimal amount ("12.5", 12.5) into micro-units without going
 * through floating-point arithmetic. Returns null for anything that is not a
 * plain decimal with at most six fractional digits.
 */
export function parseDecimal(value: string | number): number | null {
  const text = typeof value === "number" ? (Number.isFinite(value) ? numberToPlain(value) : "") : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const whole = Number(match[2]) * MICRO;
  const fraction = Number((match[3] ?? "").padEnd(6, "0"));
  const micro = whole + fraction;
  if (!Number.isSafeInteger(micro)) return null;
  return match[1] ? -micro : micro;
}

function numberToPlain(value: number): string {
  // Enough digits to tell 0.1234567 (too precise) from 0.123456.
  const text = value.toFixed(7).replace(/0+$/, "").replace(/\.$/, "");
  return text;
}

/** Formats micro-units as a decimal string with trailing zeros trimmed ("12.5"). */
export function formatDecimal(micro: number, minFraction = 0): string {
  const sign = micro < 0 ? "-" : "";
  const abs = Math.abs(micro);
  const whole = Math.floor(abs / MICRO);
  let fraction = String(abs % MICRO).padStart(6, "0").replace(/0+$/, "");
  if (fraction.length < minFraction) fraction = fraction.padEnd(minFraction, "0");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Micro-units as a JSON number for API responses (display only; exact to 6 places). */
export function toDecimalNumber(micro: number): number {
  return Number(formatDecimal(micro));
}

/** Dollars rounded to the cent for display: half up on the micro-dollar. */
export function usdToCents(amount: Usd): number {
  return Math.floor((amount + 5_000) / 10_000);
}

/** The rate in force: the credit's value and the platform's cut. */
export interface CreditRate {
  /** Micro-dollars one credit is worth. */
  readonly usdPerCredit: Usd;
  /** Platform fee in basis points of gross (2000 = 20%). */
  readonly platformFeeBps: number;
}

/** Credits to charge for a USD price: rounded up to the micro-credit. */
export function usdToCredits(price: Usd, rate: CreditRate): Credits {
  // BigInt for the product: $10,000 in micro-dollars times a million passes 2^53.
  const perCredit = BigInt(rate.usdPerCredit);
  return Number((BigInt(price) * BigInt(MICRO) + perCredit - 1n) / perCredit) as Credits;
}

/** The USD value of an amount of credits, rounded down to the micro-dollar. */
export function creditsToUsd(amount: Credits, rate: CreditRate): Usd {
  return Number((BigInt(amount) * BigInt(rate.usdPerCredit)) / BigInt(MICRO)) as Usd;
}

export interface Split {
  readonly gross: Usd;
  readonly sellerShare: Usd;
  readonly platformFee: Usd;
}

/** Splits a sale's gross USD between seller and platform; the parts always sum to the gross. */
export function split(gross: Usd, rate: CreditRate): Split {
  const sellerShare = Math.floor((gross * (10_000 - rate.platformFeeBps)) / 10_000) as Usd;
  return { gross, sellerShare, platformFee: (gross - sellerShare) as Usd };
}

/** What a sale at `price` costs the buyer and earns the seller, under `rate`. */
export function priceSale(price: Usd, rate: CreditRate): Split & { credits: Credits; usdPerCredit: Usd } {
  return { credits: usdToCredits(price, rate), usdPerCredit: rate.usdPerCredit, ...split(price, rate) };
}
