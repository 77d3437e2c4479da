/**
 * The copy of ledger entries into D1's `transactions`. Idempotent: rows are
 * keyed by the entry id and inserted with ON CONFLICT DO NOTHING, so a copy
 * that is repeated (a retry after a lost response, a crash before the cursor
 * moved) never duplicates a row.
 */
import type { LedgerRow } from "./rows";
import { entryId } from "./rows";

/** Entries read from the ledger per D1 round trip. */
export const FLUSH_BATCH = 120;
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
export async function copyToD1(db: D1Database, companyId: string, rows: LedgerRow[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const sql = `INSERT INTO transactions (${COLUMNS}) VALUES ${chunk.map(() => ROW_PLACEHOLDERS).join(", ")} ON CONFLICT(id) DO NOTHING`;
    statements.push(db.prepare(sql).bind(...chunk.flatMap((row) => values(companyId, row))));
  }
  await db.batch(statements);
}
