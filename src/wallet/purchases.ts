/**
 * Purchases: the stored results of processed assets, re-read free. Written in
 * the same transaction as the commit that paid for them, so a result the
 * buyer paid for is never lost and a result nobody paid for is never kept.
 */
import { TesseraError } from "../errors";
import type { Credits, Usd } from "../money";
import type { PurchaseView } from "./types";

/** A result above this is refused before anything is charged (SQLite values stop at 2 MB). */
export const MAX_RESULT_CHARS = 1_000_000;

type PurchaseRow = {
  seq: number;
  id: string;
  product_id: string;
  operation_id: string;
  result: string;
  credits: number;
  price_usd: number;
  created_at: number;
};

export const purchasesDdl = [
  `CREATE TABLE IF NOT EXISTS purchases (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    product_id TEXT NOT NULL,
    operation_id TEXT NOT NULL,
    result TEXT NOT NULL,
    credits INTEGER NOT NULL,
    price_usd INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  )`,
];

const COLUMNS = "seq, id, product_id, operation_id, result, credits, price_usd, created_at";

export class Purchases {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  add(p: Omit<PurchaseView, "createdAt">, now: number): void {
    if (p.result.length > MAX_RESULT_CHARS) throw new TesseraError("INTERNAL", "The result is too large to store.");
    this.#sql.exec(
      "INSERT INTO purchases (id, product_id, operation_id, result, credits, price_usd, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      p.id,
      p.productId,
      p.operationId,
      p.result,
      p.credits,
      p.priceUsd,
      now,
    );
  }

  get(id: string): PurchaseView | null {
    const row = this.#sql.exec<PurchaseRow>(`SELECT ${COLUMNS} FROM purchases WHERE id = ?`, id).toArray()[0];
    return row ? view(row) : null;
  }

  /** Newest first; page on with `beforeSeq` (the last item's seq) or an offset. */
  list(limit: number, beforeSeq: number | null, offset = 0): (PurchaseView & { seq: number })[] {
    const rows = this.#sql
      .exec<PurchaseRow>(
        `SELECT ${COLUMNS} FROM purchases WHERE seq < ? ORDER BY seq DESC LIMIT ? OFFSET ?`,
        beforeSeq ?? Number.MAX_SAFE_INTEGER,
        limit,
        offset,
      )
      .toArray();
    return rows.map((row) => ({ ...view(row), seq: row.seq }));
  }
}

function view(row: PurchaseRow): PurchaseView {
  return {
    id: row.id,
    productId: row.product_id,
    operationId: row.operation_id,
    result: row.result,
    credits: row.credits as Credits,
    priceUsd: row.price_usd as Usd,
    createdAt: row.created_at,
  };
}
