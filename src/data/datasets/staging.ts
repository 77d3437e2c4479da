import { sqlColumn, type DatasetColumn } from "../types";
import { convertExpression, storageType } from "./values";

/** Rows are sent to D1 as one bound JSON array per statement of at most this many characters (D1 caps a value at 1 MB; a character is at most 3 bytes). */
const CHUNK_CHARS = 256 * 1024;
/** Statements per `batch()` round trip. */
const STATEMENTS_PER_BATCH = 4;

/**
 * The load of one dataset into the DATASETS database.
 *
 * Why stage as text, then convert: a stream can be read once, so column types
 * can't be known before rows must be written. Every row goes first into an
 * untyped staging table as the text it was, while `TypeInference` watches
 * every value; at the end a single `INSERT ... SELECT CAST(...)` writes the
 * typed table, in the same `batch()` (one transaction) that creates its
 * indexes and drops the staging table. That is one pass over the upload, no
 * guessing from a sample and no widening of a live table; a failure at any
 * point leaves only the staging table, which `discard()` drops.
 *
 * Why JSON rows: D1 allows 100 bound parameters per statement, which would
 * mean one statement per few rows. Instead each statement binds ONE parameter,
 * a JSON array of rows, and `json_each` unpacks it in SQL, so a 50 MB upload
 * is a few hundred statements. Values stay bound; no seller text reaches SQL.
 */
export class DatasetLoad {
  readonly staging: string;
  readonly table: string;
  #columns = 0;
  #rows: string[] = [];
  #chars = 0;
  #statements: D1PreparedStatement[] = [];
  #created = false;

  constructor(
    readonly db: D1Database,
    hex: string,
  ) {
    this.staging = `stage_${hex}`;
    this.table = `ds_${hex}`;
  }

  /** Fixes the column count once the header is known (rows may be queued before `begin`). */
  setColumns(columns: number): void {
    this.#columns = columns;
  }

  async begin(): Promise<void> {
    const list = range(this.#columns).map(sqlColumn).join(", ");
    await this.db.prepare(`CREATE TABLE ${this.staging} (${list})`).run();
    this.#created = true;
  }

  /** Queues one row (text or null per column); `true` when enough is queued to flush. */
  add(values: (string | null)[]): boolean {
    const json = JSON.stringify(values);
    // Cut before the row that would pass the mark, so a chunk stays under
    // CHUNK_CHARS (or is one row, itself capped by maxRowChars): under 1 MB as UTF-8.
    if (this.#rows.length > 0 && this.#chars + json.length + 1 > CHUNK_CHARS) this.#cut();
    this.#rows.push(json);
    this.#chars += json.length + 1;
    return this.#statements.length >= STATEMENTS_PER_BATCH;
  }

  async flush(): Promise<void> {
    this.#cut();
    if (this.#statements.length === 0) return;
    const statements = this.#statements;
    this.#statements = [];
    await this.db.batch(statements);
  }

  /** Writes the typed table from the staging table and drops it, atomically. */
  async finish(columns: DatasetColumn[]): Promise<void> {
    await this.flush();
    const names = columns.map((_, i) => sqlColumn(i));
    const typed = columns.map((c, i) => `${names[i]} ${storageType(c.type)}`).join(", ");
    const converted = columns.map((c, i) => convertExpression(c.type, names[i]!)).join(", ");
    const statements = [
      this.db.prepare(`CREATE TABLE ${this.table} (${typed}) STRICT`),
      this.db.prepare(`INSERT INTO ${this.table} (${names.join(", ")}) SELECT ${converted} FROM ${this.staging} ORDER BY rowid`),
      ...columns.flatMap((c, i) =>
        c.filterable ? [this.db.prepare(`CREATE INDEX ${this.table}_${names[i]} ON ${this.table} (${names[i]})`)] : [],
      ),
      this.db.prepare(`DROP TABLE ${this.staging}`),
    ];
    await this.db.batch(statements);
  }

  /** Leaves nothing behind; safe to call at any stage, and again. */
  async discard(): Promise<void> {
    this.#rows = [];
    this.#statements = [];
    if (!this.#created) return;
    await this.db.batch([
      this.db.prepare(`DROP TABLE IF EXISTS ${this.staging}`),
      this.db.prepare(`DROP TABLE IF EXISTS ${this.table}`),
    ]);
  }

  #cut(): void {
    if (this.#rows.length === 0) return;
    const names = range(this.#columns).map(sqlColumn);
    const picks = names.map((_, i) => `json_extract(value, '$[${i}]')`);
    const sql = `INSERT INTO ${this.staging} (${names.join(", ")}) SELECT ${picks.join(", ")} FROM json_each(?1) ORDER BY key`;
    this.#statements.push(this.db.prepare(sql).bind(`[${this.#rows.join(",")}]`));
    this.#rows = [];
    this.#chars = 0;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
