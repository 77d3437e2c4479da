import type { DatasetColumn } from "../types";

/**
 * Where a dataset object stands. An upload goes receiving → converting →
 * indexing → ready; a ready dataset never changes again (its shape, rows and
 * row count are immutable), except that indexes may be added for the specs
 * of products over it. `deleting` is a ready dataset whose row in the database is
 * being removed.
 */
export type Phase = "receiving" | "converting" | "indexing" | "ready" | "deleting";

export type DatasetMeta = {
  sourceId: string;
  companyId: string;
  phase: Phase;
  /** Parts committed, and the last staged rowid when the last one was (rows past it belong to an unfinished part). */
  parts: number;
  committedRowid: number;
  /** The request currently writing; a retry takes over by getting a new one. */
  lease: string | null;
  bytes: number;
  rows: number;
  /** Columns of the staging table, once the header is known. */
  width: number | null;
  /** The final columns, known when the last part ended. */
  columns: DatasetColumn[] | null;
  /** Staged rowids converted so far, out of `staged`. */
  converted: number;
  staged: number;
  /** Positions of filterable columns still to index. */
  toIndex: number[];
  /** The database says ready too: nothing left for the alarm to check. */
  confirmed: boolean;
  updatedAt: number;
};

/** What the seller sees of an upload while it runs. */
export type DatasetProgress = {
  phase: Phase;
  parts: number;
  bytes: number;
  rows: number;
  updatedAt: number;
};

export function progressOf(meta: DatasetMeta): DatasetProgress {
  return { phase: meta.phase, parts: meta.parts, bytes: meta.bytes, rows: meta.rows, updatedAt: meta.updatedAt };
}

/**
 * The object's own tables: `meta` (this key-value table), `stage` (rows as
 * text while the upload runs), `data` (the typed rows, STRICT, from the end
 * of the upload on). In SQL a column is always `c_<position>`.
 */
export function createSchema(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
}

export function readMeta<T>(sql: SqlStorage, key: string): T | null {
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
  return row ? (JSON.parse(row.value) as T) : null;
}

export function writeMeta(sql: SqlStorage, key: string, value: unknown): void {
  sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, JSON.stringify(value));
}

export function deleteMeta(sql: SqlStorage, key: string): void {
  sql.exec("DELETE FROM meta WHERE key = ?", key);
}
