/**
 * Threshold crossings: "available credits went from at or above a threshold
 * to below it". The wallet is the single writer of available credits, so it
 * is the one place that can see each crossing exactly once, however many
 * debits run at the same time: every operation runs alone, and only the one
 * that moves `available` across the line records it. Once below, further
 * debits cross nothing; the watch re-arms by itself when available climbs
 * back to the threshold (a deposit, a release).
 *
 * A crossing is written in the same synchronous transaction as the operation
 * that caused it, then sent to the CROSSINGS queue by the feed (feed.ts),
 * never on the caller's path (a metered request pays two comparisons), and
 * deleted once the queue took it. Its consumer lives in src/billing: the
 * wallet knows nothing of what a crossing leads to. Delivery is at least
 * once; the crossing's id is stable across redeliveries.
 *
 * Watches: `auto_refill` (its own threshold) and `low_balance` (follows the
 * wallet's low-balance warning threshold). Both are off until armed with
 * `Wallet.watch`.
 */
import type { Credits } from "../money";

export const watchNames = ["low_balance", "auto_refill"] as const;
export type WatchName = (typeof watchNames)[number];

export interface Crossing {
  /** `${companyId}:${seq}`: stable across redeliveries, unique per crossing. */
  id: string;
  companyId: string;
  watch: WatchName;
  threshold: Credits;
  /** Available credits right after the crossing. */
  available: Credits;
  /** Epoch ms. */
  at: number;
}

type CrossingRow = { seq: number; watch: WatchName; threshold: number; available: number; at: number };

const ddl = [
  `CREATE TABLE IF NOT EXISTS watches (name TEXT PRIMARY KEY, threshold INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS crossings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    watch TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    available INTEGER NOT NULL,
    at INTEGER NOT NULL
  )`,
];

export class Crossings {
  readonly #sql: SqlStorage;
  readonly #companyId: string;
  /** Armed watches and their thresholds, kept in memory so the hot path reads no storage. */
  #watches = new Map<WatchName, number>();
  /** Crossings recorded and not yet sent. */
  waiting: number;

  constructor(sql: SqlStorage, companyId: string) {
    this.#sql = sql;
    this.#companyId = companyId;
    for (const statement of ddl) sql.exec(statement);
    for (const row of sql.exec<{ name: WatchName; threshold: number }>("SELECT name, threshold FROM watches")) {
      this.#watches.set(row.name, row.threshold);
    }
    this.waiting = sql.exec<{ n: number }>("SELECT count(*) AS n FROM crossings").one().n;
  }

  /** Arms a watch at `threshold` micro-credits, or disarms it (null). */
  set(name: WatchName, threshold: Credits | null): void {
    if (threshold === null) {
      this.#sql.exec("DELETE FROM watches WHERE name = ?", name);
      this.#watches.delete(name);
    } else {
      this.#sql.exec(
        "INSERT INTO watches (name, threshold) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET threshold = excluded.threshold",
        name,
        threshold,
      );
      this.#watches.set(name, threshold);
    }
  }

  get(name: WatchName): Credits | null {
    return (this.#watches.get(name) as Credits | undefined) ?? null;
  }

  /**
   * Records a crossing for each armed watch that `available` went below
   * (from `before` to `after`). Synchronous; called inside the operation's
   * transaction.
   */
  detect(before: number, after: number, now: number): void {
    if (after >= before || this.#watches.size === 0) return;
    for (const [name, threshold] of this.#watches) {
      if (threshold > 0 && before >= threshold && after < threshold) {
        this.#sql.exec("INSERT INTO crossings (watch, threshold, available, at) VALUES (?, ?, ?, ?)", name, threshold, after, now);
        this.waiting += 1;
      }
    }
  }

  /** Crossings not yet sent, oldest first. */
  pending(): Crossing[] {
    if (this.waiting === 0) return [];
    return this.#sql
      .exec<CrossingRow>("SELECT seq, watch, threshold, available, at FROM crossings ORDER BY seq LIMIT 100")
      .toArray()
      .map((row) => this.#crossing(row));
  }

  /** Forgets crossings the queue has taken. */
  remove(ids: string[]): void {
    for (const id of ids) {
      const seq = Number(id.slice(id.lastIndexOf(":") + 1));
      this.#sql.exec("DELETE FROM crossings WHERE seq = ?", seq);
    }
    this.waiting = this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM crossings").one().n;
  }

  #crossing(row: CrossingRow): Crossing {
    return {
      id: `${this.#companyId}:${row.seq}`,
      companyId: this.#companyId,
      watch: row.watch,
      threshold: row.threshold as Credits,
      available: row.available as Credits,
      at: row.at,
    };
  }
}
