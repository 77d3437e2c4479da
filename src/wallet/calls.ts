/**
 * The request log of the company's metered calls, kept in the wallet so that
 * a billed call's row is written in the same transaction as its charge: a
 * dispute can always be checked against facts. Rows are keyed by the
 * attempt's request id, so a retried settle returns the first outcome and
 * moves nothing. The feed (feed.ts) copies rows to D1's `request_logs` by
 * their `seq`, which grows with every row.
 */
import type { Credits } from "../money";
import type { CallChannel, CallRecord, CallOutcome, ProductType } from "./types";

export type CallRow = {
  seq: number;
  request_id: string;
  operation_id: string;
  key_id: string;
  product_id: string;
  product_type: string | null;
  seller_company_id: string | null;
  channel: string;
  method: string;
  status: number;
  error_code: string | null;
  rows: number | null;
  billed: number;
  credits: number;
  entry_seq: number | null;
  duration_ms: number;
  created_at: number;
  available_after: number;
  /** 1 when this row is the company's first 200 from the product (its library then gains an asset). */
  first_use: number;
};

export const CALL_COLUMNS =
  "seq, request_id, operation_id, key_id, product_id, product_type, seller_company_id, channel, method, status, error_code, rows, billed, credits, entry_seq, duration_ms, created_at, available_after, first_use";

export const callsDdl = [
  `CREATE TABLE IF NOT EXISTS calls (
    seq INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    operation_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    product_type TEXT,
    seller_company_id TEXT,
    channel TEXT NOT NULL,
    method TEXT NOT NULL,
    status INTEGER NOT NULL,
    error_code TEXT,
    rows INTEGER,
    billed INTEGER NOT NULL,
    credits INTEGER NOT NULL,
    entry_seq INTEGER,
    duration_ms INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    available_after INTEGER NOT NULL,
    first_use INTEGER NOT NULL DEFAULT 0
  )`,
  // Products the company got a 200 from at least once (ratings need it); one row per product, ever.
  `CREATE TABLE IF NOT EXISTS used_products (product_id TEXT PRIMARY KEY, first_at INTEGER NOT NULL) WITHOUT ROWID`,
];

export class Calls {
  readonly #sql: SqlStorage;
  readonly #companyId: string;
  /** The last row's seq. */
  seq: number;
  /** `used_products`, in memory: a call to a product already used writes nothing more. */
  readonly #used = new Set<string>();
  /** Added to `#used` since `save()`, taken out again by `restore()`. */
  #added: string[] = [];

  constructor(sql: SqlStorage, companyId: string) {
    this.#sql = sql;
    this.#companyId = companyId;
    // Wallets made before first_use existed get it (their earlier rows: 0, whose libraries were written then).
    if (!sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('calls')").toArray().some((c) => c.name === "first_use")) {
      sql.exec("ALTER TABLE calls ADD COLUMN first_use INTEGER NOT NULL DEFAULT 0");
    }
    this.seq = sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM calls").one().seq ?? 0;
    for (const row of sql.exec<{ product_id: string }>("SELECT product_id FROM used_products")) this.#used.add(row.product_id);
  }

  /** Whether the company ever got a 200 from the product. */
  hasUsed(productId: string): boolean {
    return this.#used.has(productId);
  }

  find(requestId: string): CallRow | undefined {
    return this.#sql.exec<CallRow>(`SELECT ${CALL_COLUMNS} FROM calls WHERE request_id = ?`, requestId).toArray()[0];
  }

  /** Appends one call's row; the caller has checked its request id is new. */
  append(row: Omit<CallRow, "seq" | "first_use">): CallRow {
    const firstUse = row.status === 200 && !this.#used.has(row.product_id);
    const full: CallRow = { seq: this.seq + 1, ...row, first_use: firstUse ? 1 : 0 };
    if (firstUse) {
      this.#sql.exec("INSERT INTO used_products (product_id, first_at) VALUES (?, ?) ON CONFLICT DO NOTHING", row.product_id, row.created_at);
      this.#used.add(row.product_id);
      this.#added.push(row.product_id);
    }
    this.#sql.exec(
      `INSERT INTO calls (${CALL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      full.seq,
      full.request_id,
      full.operation_id,
      full.key_id,
      full.product_id,
      full.product_type,
      full.seller_company_id,
      full.channel,
      full.method,
      full.status,
      full.error_code,
      full.rows,
      full.billed,
      full.credits,
      full.entry_seq,
      full.duration_ms,
      full.created_at,
      full.available_after,
      full.first_use,
    );
    this.seq = full.seq;
    return full;
  }

  /** What memory holds, so a rolled-back transaction can put it back (the wallet's #atomically). */
  save(): number {
    this.#added = [];
    return this.seq;
  }

  restore(seq: number): void {
    this.seq = seq;
    for (const id of this.#added) this.#used.delete(id);
    this.#added = [];
  }

  /** Rows after `seq`, oldest first. */
  after(seq: number, limit: number): CallRow[] {
    return this.#sql.exec<CallRow>(`SELECT ${CALL_COLUMNS} FROM calls WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit).toArray();
  }

  outcome(row: CallRow, budget: CallOutcome["budget"] = null): CallOutcome {
    return {
      requestId: row.request_id,
      operationId: row.operation_id,
      status: row.status,
      code: row.error_code,
      billed: row.billed === 1,
      credits: row.credits as Credits,
      available: row.available_after as Credits,
      entryId: row.entry_seq === null ? null : `${this.#companyId}:${row.entry_seq}`,
      budget,
      firstUse: row.first_use === 1,
    };
  }
}

export function callRecord(row: CallRow): CallRecord {
  return {
    requestId: row.request_id,
    operationId: row.operation_id,
    keyId: row.key_id,
    productId: row.product_id,
    productType: row.product_type as ProductType | null,
    sellerCompanyId: row.seller_company_id,
    channel: row.channel as CallChannel,
    method: row.method,
    status: row.status,
    errorCode: row.error_code,
    rows: row.rows,
    billed: row.billed === 1,
    credits: row.credits as Credits,
    entrySeq: row.entry_seq,
    durationMs: row.duration_ms,
    createdAt: row.created_at,
  };
}
