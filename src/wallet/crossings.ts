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
 * that caused it, then handed to its handler from the wallet's alarm, never
 * on the caller's path (a metered request pays two comparisons). Delivery is
 * at least once: the row stays until the handler finishes, and a handler may
 * ask to be called again later (`retryAt`), which is how auto-refill backs off.
 *
 * Watches: `auto_refill` (its own threshold) and `low_balance` (follows the
 * wallet's low-balance warning threshold). Both are off until armed with
 * `Wallet.watch`. The handlers live in src/billing/crossing.ts.
 */
import { onCrossing } from "../billing/crossing";
import type { Credits } from "../money";
import { NEVER } from "./schema";

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
  /** 0 on the first delivery. */
  attempt: number;
}

/** What a handler asks for: nothing (done) or another call at `retryAt`. */
export type CrossingOutcome = { retryAt: number } | undefined | void;

type CrossingRow = { seq: number; watch: WatchName; threshold: number; available: number; at: number; attempt: number };

/** After this many failed deliveries a crossing is dropped (handlers record their own failures). */
const MAX_ATTEMPTS = 10;
const RETRY_BASE_MS = 5_000;

const ddl = [
  `CREATE TABLE IF NOT EXISTS watches (name TEXT PRIMARY KEY, threshold INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS crossings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    watch TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    available INTEGER NOT NULL,
    at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 0
  )`,
];

export class Crossings {
  readonly #sql: SqlStorage;
  readonly #companyId: string;
  /** Armed watches and their thresholds, kept in memory so the hot path reads no storage. */
  #watches = new Map<WatchName, number>();
  /** No crossing is due before this instant. */
  nextDueAt = NEVER;

  constructor(sql: SqlStorage, companyId: string) {
    this.#sql = sql;
    this.#companyId = companyId;
    for (const statement of ddl) sql.exec(statement);
    for (const row of sql.exec<{ name: WatchName; threshold: number }>("SELECT name, threshold FROM watches")) {
      this.#watches.set(row.name, row.threshold);
    }
    this.#recomputeDue();
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
        this.#sql.exec(
          "INSERT INTO crossings (watch, threshold, available, at, due_at) VALUES (?, ?, ?, ?, ?)",
          name,
          threshold,
          after,
          now,
          now,
        );
        this.nextDueAt = Math.min(this.nextDueAt, now);
      }
    }
  }

  /** Pending crossings, oldest first (for tests and audits). */
  pending(): Crossing[] {
    return this.#sql
      .exec<CrossingRow>("SELECT seq, watch, threshold, available, at, attempt FROM crossings ORDER BY seq")
      .toArray()
      .map((row) => this.#crossing(row));
  }

  /** Hands every due crossing to its handler; called from the wallet's alarm. */
  async deliver(env: Env, now: number): Promise<void> {
    const due = this.#sql
      .exec<CrossingRow>("SELECT seq, watch, threshold, available, at, attempt FROM crossings WHERE due_at <= ? ORDER BY seq LIMIT 20", now)
      .toArray();
    for (const row of due) {
      let retryAt: number | null = null;
      try {
        const outcome = await onCrossing(env, this.#crossing(row));
        retryAt = outcome?.retryAt ?? null;
      } catch (error) {
        console.warn(`wallet ${this.#companyId}: crossing ${row.seq} (${row.watch}) failed, will retry:`, String(error));
        retryAt = Date.now() + RETRY_BASE_MS * 2 ** row.attempt;
      }
      if (retryAt === null || row.attempt + 1 >= MAX_ATTEMPTS) {
        this.#sql.exec("DELETE FROM crossings WHERE seq = ?", row.seq);
      } else {
        this.#sql.exec("UPDATE crossings SET attempt = attempt + 1, due_at = ? WHERE seq = ?", retryAt, row.seq);
      }
    }
    this.#recomputeDue();
  }

  #crossing(row: CrossingRow): Crossing {
    return {
      id: `${this.#companyId}:${row.seq}`,
      companyId: this.#companyId,
      watch: row.watch,
      threshold: row.threshold as Credits,
      available: row.available as Credits,
      at: row.at,
      attempt: row.attempt,
    };
  }

  #recomputeDue(): void {
    this.nextDueAt = this.#sql.exec<{ at: number | null }>("SELECT min(due_at) AS at FROM crossings").one().at ?? NEVER;
  }
}
