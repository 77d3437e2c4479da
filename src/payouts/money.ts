import { usdToCents, type Usd } from "../money";

/** Micro-dollars in one cent: transfers move whole cents. */
export const MICRO_PER_CENT = 10_000;
/** The minimum payout, $25.00: below it the balance rolls to the next month. */
export const MINIMUM_PAYOUT_USD = 25_000_000 as Usd;

/** The whole cents of a balance that can be transferred; the rest carries forward. */
export function transferableCents(balance: Usd): number {
  return balance > 0 ? Math.floor(balance / MICRO_PER_CENT) : 0;
}

/** Dollars for display, to the cent (half up), from exact micro-dollars. */
export function dollars(micro: number): number {
  return usdToCents(micro as Usd) / 100;
}
