/**
 * The outbox: ledger entries not yet copied to D1's `transactions`.
 *
 * The ledger is append-only with a gapless `seq`, so the outbox is the range
 * `seq > flushed_seq` (a cursor in `meta`) rather than a second table: the
 * hot path writes nothing extra. A copy sends entries past the cursor in one
 * `D1.batch` per round trip and moves the cursor only after D1 accepted them.
 * Rows are keyed by entry id with ON CONFLICT DO NOTHING, so a repeated copy
 * (a lost response, a crash before the cursor moved) never duplicates a row.
 *
 * At most one copy is in flight; entries written meanwhile go with the next
 * round trip, so under load it is one D1 call per batch, not per operation.
 * After a failure, eager copies pause until `retryAt` (doubling backoff) and
 * the wallet's alarm retries.
 */
import type { FlushResult } from "./types";
import { LEDGER_COLUMNS, entryId, type LedgerRow } from "./rows";
import { readMeta } from "./schema";

/** Entries read from the ledger per D1 round trip. */
const FLUSH_BATCH = 120;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;
/** D1 allows 100 bound parameters per statement: 6 rows of 16 columns. */
const ROWS_PER_STATEMENT = 6;
const COLUMNS =
  "id, company_id, seq, kind, operation_id, amount, balance_after, product_id, product_type, seller_company_id, gross_usd, seller_share_usd, platform_fee_usd, usd_per_credit, reason, created_at";
const ROW_PLACEHOLDERS = `(${Array(16).fill("?").join(", ")})`;

function values(companyId: string, row: LedgerRow): (string | number | null)[] {
  return [
    entryId(companyId, row.seq),
    companyId,
    row.seq,
    row.kind,
    row.operation_id,
    row.amount,
    row.balance_after,
    row.product_id,
    row.product_type,
    row.seller_company_id,
    row.gross_usd,
    row.seller_share_usd,
    row.platform_fee_usd,
    row.usd_per_credit,
    row.reason,
    row.created_at,
  ];
}

/** Copies `rows` into D1 in one atomic batch; throws if D1 refuses. */
async function copyToD1(db: D1Database, companyId: string, rows: LedgerRow[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const sql = `INSERT INTO transactions (${COLUMNS}) VALUES ${chunk.map(() => ROW_PLACEHOLDERS).join(", ")} ON CONFLICT(id) DO NOTHING`;
    statements.push(db.prepare(sql).bind(...chunk.flatMap((row) => values(companyId, row))));
  }
  await db.batch(statements);
}

export class Outbox {
  readonly #sql: SqlStorage;
  readonly #db: D1Database;
  readonly #companyId: string;
  /** Called after a failed copy, so the wallet arms its alarm for `retryAt`. */
  readonly #onFailure: () => void;
  #flushing: Promise<FlushResult> | null = null;
  #failures = 0;
  /** After D1 refused a copy, eager copies wait until this time. */
  retryAt = 0;
  /** The cursor as last read; `flushed_seq` in meta is the truth. */
  flushedSeq: number;

  constructor(sql: SqlStorage, db: D1Database, companyId: string, onFailure: () => void) {
    this.#sql = sql;
    this.#db = db;
    this.#companyId = companyId;
    this.#onFailure = onFailure;
    this.flushedSeq = readMeta(sql, "flushed_seq") ?? 0;
  }

  /** Entries not yet in D1. */
  size(lastSeq: number): number {
    return lastSeq - (readMeta(this.#sql, "flushed_seq") ?? 0);
  }

  /** Starts a copy after a write, unless one is in flight or D1 is in backoff. */
  kick(now: number): void {
    if (!this.#flushing && now >= this.retryAt) void this.#start();
  }

  /** Waits for the copy in flight, then copies whatever is left, backoff or not. */
  async flush(): Promise<FlushResult> {
    while (this.#flushing) await this.#flushing;
    return this.#start();
  }

  #start(): Promise<FlushResult> {
    const progress = { flushed: 0 };
    const run = this.#drain(progress).then(
      (): FlushResult => {
        this.#failures = 0;
        this.retryAt = 0;
        return { ok: true, flushed: progress.flushed, pending: this.#pending() };
      },
      (error: unknown): FlushResult => {
        this.#failures += 1;
        const backoff = Math.min(RETRY_BASE_MS * 2 ** (this.#failures - 1), RETRY_MAX_MS);
        this.retryAt = Date.now() + backoff;
        console.warn(`wallet ${this.#companyId}: outbox copy to D1 failed, retrying in ${backoff} ms:`, String(error));
        this.#onFailure();
        return { ok: false, flushed: progress.flushed, pending: this.#pending() };
      },
    );
    this.#flushing = run;
    void run.then(() => {
      if (this.#flushing === run) this.#flushing = null;
    });
    return run;
  }

  #pending(): number {
    const last = this.#sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM ledger").one().seq ?? 0;
    return this.size(last);
  }

  /** Copies entries past the cursor, a batch per D1 round trip, until none are left. */
  async #drain(progress: { flushed: number }): Promise<void> {
    for (;;) {
      this.flushedSeq = readMeta(this.#sql, "flushed_seq") ?? 0;
      const rows = this.#sql
        .exec<LedgerRow>(`SELECT ${LEDGER_COLUMNS} FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?`, this.flushedSeq, FLUSH_BATCH)
        .toArray();
      if (rows.length === 0) return;
      await copyToD1(this.#db, this.#companyId, rows);
      // max(): the cursor never moves back, whatever order two copies finish in.
      this.#sql.exec(
        "INSERT INTO meta (key, value) VALUES ('flushed_seq', ?) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)",
        rows.at(-1)!.seq,
      );
      progress.flushed += rows.length;
    }
  }
}
