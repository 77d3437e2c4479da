/**
 * The wallet's own SQLite tables. Created once per object start (in the
 * constructor), never on the request path.
 *
 * - `ledger`: append-only, one row per balance movement; `seq` from 1. The
 *   entry id is `${companyId}:${seq}`, derived rather than stored.
 * - `lots`: one per deposit; `remaining` is what is neither spent nor held.
 *   `expires_key` is `expires_at`, or MAX_SAFE_INTEGER for "never", so one
 *   index orders spending soonest-expiring first.
 * - `holds`: holds and charges (a charge is a hold committed at once), keyed
 *   by the caller's id, with the key that made a metered call's hold (caps).
 *   `hold_lots` records which lots an open hold took from.
 * - `operations`: idempotency record of deposits and adjustments (one id space).
 * - `meta`: the feed's cursors (`fed_ledger_seq`, `fed_calls_seq`), the
 *   low-balance threshold, the company id, what retention archived
 *   (`archived_seq`, `archived_entries`, `archived_sum`), when it runs next,
 *   and how many of `upgrades` this object's storage has had (`schema_version`).
 */
import { formerKinds } from "./kinds";

export const NEVER = Number.MAX_SAFE_INTEGER;

const LEDGER_NO_UPDATE = `CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON ledger
    BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END`;

const ddl = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS ledger (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    operation_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    balance_after INTEGER NOT NULL,
    product_id TEXT,
    product_type TEXT,
    seller_company_id TEXT,
    gross_usd INTEGER,
    seller_share_usd INTEGER,
    platform_fee_usd INTEGER,
    usd_per_credit INTEGER NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL
  )`,
  // Corrections are new entries: the ledger refuses edits, and deletions but of
  // entries already archived to R2 (retention.ts moves archived_seq first).
  LEDGER_NO_UPDATE,
  `DROP TRIGGER IF EXISTS ledger_no_delete`,
  `CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
    WHEN OLD.seq > coalesce((SELECT value FROM meta WHERE key = 'archived_seq'), 0)
    BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END`,
  `CREATE INDEX IF NOT EXISTS ledger_time ON ledger (created_at)`,
  `CREATE TABLE IF NOT EXISTS lots (
    id INTEGER PRIMARY KEY,
    operation_id TEXT NOT NULL,
    expires_at INTEGER,
    expires_key INTEGER NOT NULL,
    remaining INTEGER NOT NULL CHECK (remaining >= 0),
    usd_per_credit INTEGER NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS lots_spendable ON lots (expires_key, id) WHERE remaining > 0`,
  `CREATE TABLE IF NOT EXISTS holds (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    credits INTEGER NOT NULL,
    status TEXT NOT NULL,
    committed INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    available_after INTEGER NOT NULL,
    entry_seq INTEGER,
    resolution_fingerprint TEXT,
    resolution_available INTEGER,
    key_id TEXT
  ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS holds_due ON holds (expires_at) WHERE status = 'held'`,
  `CREATE TABLE IF NOT EXISTS hold_lots (
    hold_id TEXT NOT NULL,
    lot_id INTEGER NOT NULL,
    credits INTEGER NOT NULL,
    PRIMARY KEY (hold_id, lot_id)
  ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS operations (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    entry_seq INTEGER NOT NULL
  ) WITHOUT ROWID`,
];

/**
 * Rewrites of what objects made earlier stored, each run once per object, in
 * order, in one transaction with the version that records it. Each is also
 * harmless to run twice.
 */
const upgrades: ((sql: SqlStorage) => void)[] = [
  // The deposit kinds took the glossary's names (`purchase` → `top_up`,
  // `subscription` → `plan`). Entries carry the kind, and so do the deposits'
  // idempotency fingerprints: renamed together, a deposit repeated after the
  // rename (a Stripe event redelivered) still matches its first outcome.
  (sql) => {
    sql.exec("DROP TRIGGER IF EXISTS ledger_no_update");
    for (const [former, current] of Object.entries(formerKinds)) {
      sql.exec("UPDATE ledger SET kind = ? WHERE kind = ?", current, former);
      const from = JSON.stringify(["deposit", former]).slice(0, -1) + ",";
      const to = JSON.stringify(["deposit", current]).slice(0, -1) + ",";
      sql.exec(
        "UPDATE operations SET fingerprint = ? || substr(fingerprint, ?) WHERE substr(fingerprint, 1, ?) = ?",
        to,
        from.length + 1,
        from.length,
        from,
      );
    }
    sql.exec(LEDGER_NO_UPDATE);
  },
];

export function createSchema(sql: SqlStorage, transact: (fn: () => void) => void): void {
  for (const statement of ddl) sql.exec(statement);
  // Objects made before holds knew their key (spending caps) get the column.
  const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('holds')").toArray();
  if (!columns.some((c) => c.name === "key_id")) sql.exec("ALTER TABLE holds ADD COLUMN key_id TEXT");
  for (let version = readMeta(sql, "schema_version") ?? 0; version < upgrades.length; version++) {
    transact(() => {
      upgrades[version]!(sql);
      writeMeta(sql, "schema_version", version + 1);
    });
  }
}

/** A number (or the company id) kept in `meta`. */
export function readMeta<T extends string | number = number>(sql: SqlStorage, key: string): T | undefined {
  return sql.exec<{ value: T }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
}

export function writeMeta(sql: SqlStorage, key: string, value: string | number): void {
  sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
}
