import { api, type Outputs } from "../../api";
import { formatDay } from "../../format";

type Entry = Outputs["credits"]["history"]["items"][number];

const DAY = 86_400_000;

/** The ledger since `from`, newest first, up to `max` entries (history pages hold 200). */
export async function ledgerSince(from: number, max = 1000): Promise<{ entries: Entry[]; truncated: boolean }> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  while (entries.length < max) {
    const page = await api.credits.history.query({ limit: 200, from, ...(cursor ? { cursor } : {}) });
    entries.push(...page.items);
    if (!page.nextCursor) return { entries, truncated: false };
    cursor = page.nextCursor;
  }
  return { entries, truncated: true };
}

/**
 * Per day over the last `days`: credits spent (charges) and the balance at the
 * day's end, from the ledger's own `balanceAfter`. Sums are of decimals the
 * server sent exact to 6 places, done in micro-units so they stay exact.
 */
export function dailySeries(entries: Entry[], days: number, now = Date.now()) {
  const start = new Date(now - (days - 1) * DAY);
  start.setHours(0, 0, 0, 0);
  const labels: string[] = [];
  const spent: number[] = [];
  const balance: number[] = [];
  const oldestFirst = [...entries].sort((a, b) => a.seq - b.seq);
  let i = 0;
  let running = oldestFirst.length ? toMicro(oldestFirst[0]!.balanceAfter) - toMicro(oldestFirst[0]!.credits) : null;
  for (let d = 0; d < days; d++) {
    const dayStart = start.getTime() + d * DAY;
    const dayEnd = dayStart + DAY;
    let spentMicro = 0;
    while (i < oldestFirst.length && oldestFirst[i]!.createdAt < dayEnd) {
      const e = oldestFirst[i]!;
      if (e.kind === "charge") spentMicro -= toMicro(e.credits);
      running = toMicro(e.balanceAfter);
      i++;
    }
    labels.push(formatDay(dayStart));
    spent.push(spentMicro / 1_000_000);
    balance.push((running ?? 0) / 1_000_000);
  }
  return { labels, spent, balance };
}

function toMicro(n: number): number {
  return Math.round(n * 1_000_000);
}
