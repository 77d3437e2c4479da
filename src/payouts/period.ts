/**
 * Payout periods: calendar months in UTC, as half-open ranges [start, end)
 * of epoch milliseconds, named "YYYY-MM".
 */
export interface Period {
  key: string;
  start: number;
  end: number;
}

/** A period's name: `YYYY-MM`. */
export const PERIOD_KEY = /^\d{4}-(0[1-9]|1[0-2])$/;

function month(year: number, monthIndex: number): Period {
  const start = Date.UTC(year, monthIndex, 1);
  const end = Date.UTC(year, monthIndex + 1, 1);
  const date = new Date(start);
  const key = `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
  return { key, start, end };
}

/** The month before the one containing `ms`: what a payout run at `ms` pays. */
export function previousMonth(ms: number): Period {
  const date = new Date(ms);
  return month(date.getUTCFullYear(), date.getUTCMonth() - 1);
}

/** The month named `key` (`YYYY-MM`, checked by the caller against PERIOD_KEY). */
export function monthOf(key: string): Period {
  const [year, monthNumber] = key.split("-").map(Number);
  return month(year!, monthNumber! - 1);
}
