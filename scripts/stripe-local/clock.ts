/** Unix seconds, the unit of every Stripe timestamp. */
export function now(): number {
  return Math.floor(Date.now() / 1000);
}

export type Interval = "day" | "week" | "month" | "year";

/**
 * The end of a billing period that starts at `start`. Months keep the day of
 * the month and clamp to the month's last day (Jan 31 → Feb 28), as Stripe does.
 */
export function addInterval(start: number, interval: Interval, count = 1): number {
  if (interval === "day") return start + count * 86_400;
  if (interval === "week") return start + count * 7 * 86_400;
  const date = new Date(start * 1000);
  const months = interval === "year" ? 12 * count : count;
  const day = date.getUTCDate();
  const target = new Date(date);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}
