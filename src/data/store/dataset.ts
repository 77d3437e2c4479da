import { DurableObject } from "cloudflare:workers";
import { refusal, refusing, TesseraError, type Refused } from "../../errors";
import { sourceStatus, deleteLoadingDataset, markDatasetReady } from "../sources";
import type { SavedUpload } from "../datasets/receive";
import { convertExpression, storageType } from "../datasets/values";
import { runPage, type PageQuery, type PageResult } from "../query/page";
import { sqlColumn, type DatasetColumn } from "../types";
import { createIndexes, type IndexDef } from "./indexes";
import { createSchema, deleteMeta, progressOf, readMeta, writeMeta, type DatasetMeta, type DatasetProgress, type Phase } from "./meta";

/** An upload nothing was sent to for this long is abandoned: the alarm removes it, its row in the database included. */
export const UPLOAD_IDLE_MS = 15 * 60_000;
/** A deletion that did not finish (the worker died between its steps) is finished or undone by then. */
const RETIRE_MS = 60_000;
/** Staged rows converted to typed rows per `step`, so each call stays short. */
const CONVERT_ROWS = 50_000;
/**
 * Reads in one second past which the object tells its callers it is hot:
 * they then serve its pages from the Cache API for a while (query/cache.ts),
 * well before the object's own ceiling (about 1,000 requests/s).
 */
export const HOT_READS_PER_S = 100;

/** What a request writing to an upload gets back from `resume`. */
export type Resumed = {
  /** The write lease: every later call of this request carries it; a retry gets a new one and this one stops working. */
  lease: string;
  progress: DatasetProgress;
  /** The parser state saved when the last part was committed (null past the receiving phase). */
  upload: SavedUpload | null;
  /** The part was already committed (a retry after a lost answer): nothing to do. */
  done: boolean;
};

/**
 * One hosted dataset: its rows, the queries over them and its upload.
 * One object per dataset, addressed by `env.DATASET.getByName(sourceId)`.
 *
 * Why an object per dataset: each has its own SQLite (10 GB) and its own
 * thread, so no seller's upload or heavy query waits behind another's, and
 * the marketplace holds as many datasets as there are objects
 * (docs/SCALE.md, "Datasets").
 *
 * The upload is written here by the worker that parses it: rows arrive as
 * text in batches (`append`, one transaction each) into a staging table;
 * when the last part ended the typed STRICT table is filled from it in short
 * `step`s, indexed, and the staging table dropped. From `ready` on the rows
 * never change. An upload left without news for UPLOAD_IDLE_MS is swept by
 * the alarm: the row in the database (still `loading`) and everything stored here.
 */
export class Dataset extends DurableObject<Env> {
  readonly #sql: SqlStorage;
  #meta: DatasetMeta | null = null;
  #alarmAt: number | null = null;
  #second = 0;
  #reads = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => {
      createSchema(this.#sql);
      this.#meta = readMeta<DatasetMeta>(this.#sql, "dataset");
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** Opens the upload of a new dataset, before its row in the database exists (so the alarm can sweep it whatever happens next). */
  begin(input: { sourceId: string; companyId: string; upload: SavedUpload }): DatasetProgress | Refused {
    return this.#write((now) => {
      const meta = this.#meta;
      if (meta) {
        if (meta.sourceId === input.sourceId && meta.phase === "receiving" && meta.parts === 0) return progressOf(meta);
        throw new TesseraError("CONFLICT", `${input.sourceId} already exists.`);
      }
      this.#meta = {
        sourceId: input.sourceId,
        companyId: input.companyId,
        phase: "receiving",
        parts: 0,
        committedRowid: 0,
        lease: null,
        bytes: 0,
        rows: 0,
        width: null,
        columns: null,
        converted: 0,
        staged: 0,
        toIndex: [],
        confirmed: false,
        updatedAt: now,
      };
      writeMeta(this.#sql, "upload", input.upload);
      return progressOf(this.#meta);
    });
  }

  /**
   * A request that will write part `part` (or "complete" the upload) takes
   * the lease. Rows an unfinished earlier attempt left past the last
   * committed part are dropped, so a retried part is stored once. A part
   * already committed is `done` (its answer was lost: nothing to redo).
   */
  resume(part: number | "complete"): Resumed | Refused {
    return this.#write((now) => {
      const meta = this.#upload();
      const done = (): Resumed => ({ lease: "", progress: progressOf(meta), upload: null, done: true });
      if (meta.phase === "receiving") {
        const next = meta.parts + 1;
        if (part !== "complete" && part < next) return done();
        if (part !== "complete" && part > next) throw new TesseraError("CONFLICT", `Send part ${next} first: parts are appended in order.`);
        if (this.#hasTable("stage")) this.#sql.exec("DELETE FROM stage WHERE rowid > ?", meta.committedRowid);
        return { lease: this.#lease(meta, now), progress: progressOf(meta), upload: readMeta<SavedUpload>(this.#sql, "upload"), done: false };
      }
      if (part !== "complete") {
        if (part <= meta.parts) return done();
        throw new TesseraError("CONFLICT", "This upload is complete: it takes no more parts.");
      }
      if (meta.phase === "ready") return done();
      return { lease: this.#lease(meta, now), progress: progressOf(meta), upload: null, done: false };
    });
  }

  /**
   * Stores one batch of rows: each chunk a JSON array of rows (text or null
   * per column), in one transaction with the progress. The worker awaits
   * each batch before it reads more of the body.
   */
  append(lease: string, width: number, chunks: string[], progress: { bytes: number; rows: number }): DatasetProgress | Refused {
    return this.#write((now) => {
      const meta = this.#leased(lease, "receiving");
      if (meta.width === null) {
        if (!Number.isInteger(width) || width < 1 || width > 100) throw new Error(`bad width ${width}`);
        this.#sql.exec(`CREATE TABLE stage (${range(width).map(sqlColumn).join(", ")})`);
        meta.width = width;
      }
      const names = range(meta.width).map(sqlColumn);
      const picks = names.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ");
      const insert = `INSERT INTO stage (${names.join(", ")}) SELECT ${picks} FROM json_each(?) ORDER BY key`;
      for (const chunk of chunks) this.#sql.exec(insert, chunk);
      meta.bytes = progress.bytes;
      meta.rows = progress.rows;
      return this.#touch(meta, now);
    });
  }

  /** Ends a part: its rows and the parser state it ends on are kept; the next part starts from them. */
  commit(lease: string, part: number, upload: SavedUpload, progress: { bytes: number; rows: number }): DatasetProgress | Refused {
    return this.#write((now) => {
      const meta = this.#leased(lease, "receiving");
      meta.parts = part;
      meta.committedRowid = this.#lastStaged();
      meta.bytes = progress.bytes;
      meta.rows = progress.rows;
      meta.lease = null;
      writeMeta(this.#sql, "upload", upload);
      return this.#touch(meta, now);
    });
  }

  /** The file ended: creates the typed table; `step` fills and indexes it. */
  finish(lease: string, part: number, columns: DatasetColumn[], progress: { bytes: number; rows: number }): DatasetProgress | Refused {
    return this.#write((now) => {
      const meta = this.#leased(lease, "receiving");
      if (meta.width !== null && columns.length !== meta.width) throw new Error("the columns do not match the staged rows");
      const typed = columns.map((c, i) => `${sqlColumn(i)} ${storageType(c.type)}`).join(", ");
      this.#sql.exec(`CREATE TABLE data (${typed}) STRICT`);
      Object.assign(meta, {
        phase: "converting" satisfies Phase,
        parts: part,
        committedRowid: this.#lastStaged(),
        bytes: progress.bytes,
        rows: progress.rows,
        columns,
        converted: 0,
        staged: this.#lastStaged(),
        toIndex: columns.flatMap((c, i) => (c.filterable ? [i] : [])),
      });
      deleteMeta(this.#sql, "upload");
      return this.#touch(meta, now);
    });
  }

  /** One short unit of the end of an upload: convert a slice of rows, or build one index, or drop the staging table. `ready` when nothing is left. */
  step(lease: string): DatasetProgress | Refused {
    return this.#write((now) => {
      const meta = this.#leased(lease, "converting", "indexing", "ready");
      const columns = meta.columns!;
      if (meta.phase === "converting") {
        if (meta.converted < meta.staged) {
          const names = columns.map((_, i) => sqlColumn(i));
          const converted = columns.map((c, i) => convertExpression(c.type, names[i]!)).join(", ");
          const to = Math.min(meta.converted + CONVERT_ROWS, meta.staged);
          this.#sql.exec(
            `INSERT INTO data (${names.join(", ")}) SELECT ${converted} FROM stage WHERE rowid > ? AND rowid <= ? ORDER BY rowid`,
            meta.converted,
            to,
          );
          meta.converted = to;
        } else meta.phase = "indexing";
      } else if (meta.phase === "indexing") {
        const position = meta.toIndex.shift();
        if (position !== undefined) this.#sql.exec(`CREATE INDEX IF NOT EXISTS data_${sqlColumn(position)} ON data (${sqlColumn(position)})`);
        else {
          this.#sql.exec("DROP TABLE IF EXISTS stage");
          meta.phase = "ready";
          meta.lease = null;
        }
      }
      return this.#touch(meta, now);
    });
  }

  /** The row in the database says ready too: the alarm has nothing left to check. */
  confirm(): DatasetProgress | Refused {
    return this.#write(() => {
      const meta = this.#present();
      if (meta.phase !== "ready") throw new TesseraError("CONFLICT", "The upload has not finished.");
      if (!meta.confirmed) {
        meta.confirmed = true;
        this.#save(meta);
        this.#alarmAt = null;
        void this.ctx.storage.deleteAlarm();
      }
      return progressOf(meta);
    });
  }

  /** Where the upload stands; null for an object that holds no dataset. */
  progress(): DatasetProgress | null {
    return this.#meta ? progressOf(this.#meta) : null;
  }

  /** The final columns and counts, from the end of the upload on. */
  shape(): { columns: DatasetColumn[]; rows: number; bytes: number } | null {
    const meta = this.#meta;
    return meta?.columns ? { columns: meta.columns, rows: meta.rows, bytes: meta.bytes } : null;
  }

  /** One page of an endpoint (query/page.ts), and whether this object is hot. Reads only. */
  page(q: PageQuery): PageResult & { hot: boolean } {
    this.#readable();
    return { ...runPage(this.#sql, q), hot: this.#hot() };
  }

  /** An aggregate statement from the compiler, and whether this object is hot. Reads only. */
  values(q: { sql: string; bindings: (string | number)[] }): { rows: unknown[][]; hot: boolean } {
    this.#readable();
    if (!q.sql.startsWith("SELECT ")) throw new Error("only SELECT statements are run here");
    return { rows: [...this.#sql.exec(q.sql, ...q.bindings).raw()], hot: this.#hot() };
  }

  /** Creates the indexes a product's spec needs (query/indexes.ts); the names of those it created. */
  index(defs: IndexDef[]): string[] | Refused {
    return refusing(() => {
      const meta = this.#present();
      if (meta.phase !== "ready") throw new TesseraError("CONFLICT", "This dataset is still uploading.");
      return createIndexes(this.#sql, defs);
    });
  }

  /** Drops an unfinished upload: its row in the database (only while `loading`) and everything here. */
  async discard(): Promise<void | Refused> {
    const meta = this.#meta;
    if (!meta) return;
    if (meta.phase === "ready" || meta.phase === "deleting") return refusal(new TesseraError("CONFLICT", "The upload has finished: delete the dataset instead."));
    await this.#sweep(meta);
  }

  /** First step of deleting a ready dataset: if the worker dies before `destroy`, the alarm finishes (or undoes) it. */
  retire(): void | Refused {
    this.#write((now) => {
      const meta = this.#present();
      if (meta.phase !== "ready" && meta.phase !== "deleting") throw new TesseraError("CONFLICT", "This dataset is still uploading.");
      meta.phase = "deleting";
      this.#save(meta);
      this.#schedule(now + RETIRE_MS, true);
    });
  }

  /** Last step of deleting a dataset, once its row in the database is gone: nothing is left here. */
  async destroy(): Promise<void> {
    await this.#erase();
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const meta = this.#meta;
    if (!meta) return;
    const now = Date.now();
    try {
      if (meta.phase === "deleting") {
        if ((await sourceStatus(this.env.DB, meta.sourceId)) === null) await this.#erase();
        else this.#write(() => void this.#save(Object.assign(meta, { phase: "ready" satisfies Phase })));
      } else if (meta.phase === "ready" && !meta.confirmed) {
        // The upload ended here but its request did not say so to the database: finish that, unless the row is gone.
        const status = await sourceStatus(this.env.DB, meta.sourceId);
        if (status === null) await this.#erase();
        else {
          if (status === "loading") await markDatasetReady(this.env.DB, meta.sourceId, { columns: meta.columns!, rowCount: meta.rows, sizeBytes: meta.bytes });
          this.confirm();
        }
      } else if (meta.phase !== "ready") {
        if (now - meta.updatedAt >= UPLOAD_IDLE_MS) await this.#sweep(meta);
        else this.#schedule(meta.updatedAt + UPLOAD_IDLE_MS, true);
      }
    } catch (error) {
      // D1 unavailable: try again soon rather than leave the upload behind.
      console.error("dataset alarm failed", meta.sourceId, error);
      this.#schedule(now + RETIRE_MS, true);
    }
  }

  /**
   * The row in the database first (so nothing resolves the source any more), then
   * everything here. Calls arriving meanwhile find no upload; if D1 fails,
   * the upload is kept as it was and the alarm tries again soon.
   */
  async #sweep(meta: DatasetMeta): Promise<void> {
    this.#meta = null;
    try {
      await deleteLoadingDataset(this.env.DB, meta.sourceId);
    } catch (error) {
      this.#meta = meta;
      this.#schedule(Date.now() + RETIRE_MS, true);
      throw error;
    }
    await this.#erase();
  }

  async #erase(): Promise<void> {
    this.#meta = null;
    this.#alarmAt = null;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /** Runs a write in one transaction; a refusal comes back as a value (`Refused`), a bug is thrown. */
  #write<T>(op: (now: number) => T): T | Refused {
    const saved = this.#meta && structuredClone(this.#meta);
    try {
      return this.ctx.storage.transactionSync(() => op(Date.now()));
    } catch (error) {
      this.#meta = saved;
      if (error instanceof TesseraError && error.code !== "INTERNAL") return refusal(error);
      throw error;
    }
  }

  #present(): DatasetMeta {
    if (!this.#meta) throw new TesseraError("NOT_FOUND", "No such dataset: the upload was removed or never started.");
    return this.#meta;
  }

  #upload(): DatasetMeta {
    const meta = this.#present();
    if (meta.phase === "deleting") throw new TesseraError("NOT_FOUND", "No such dataset: it is being deleted.");
    return meta;
  }

  #leased(lease: string, ...phases: Phase[]): DatasetMeta {
    const meta = this.#upload();
    if (!lease || meta.lease !== lease) throw new TesseraError("CONFLICT", "Another request took over this upload.");
    if (!phases.includes(meta.phase)) throw new TesseraError("CONFLICT", `The upload is ${meta.phase}.`);
    return meta;
  }

  #lease(meta: DatasetMeta, now: number): string {
    meta.lease = crypto.randomUUID();
    this.#touch(meta, now);
    return meta.lease;
  }

  /** Counts a read; true past HOT_READS_PER_S reads in the current second. */
  #hot(): boolean {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#reads = 0;
    }
    return ++this.#reads > HOT_READS_PER_S;
  }

  /** Queries run on a ready dataset only; anything else means the caller's view of it is wrong. */
  #readable(): void {
    const phase = this.#meta?.phase;
    if (phase !== "ready" && phase !== "deleting") throw new Error(`dataset ${this.#meta?.sourceId ?? "(none)"} holds no readable rows (${phase ?? "empty"})`);
  }

  /** Saves the progress and keeps the sweep one idle period away. */
  #touch(meta: DatasetMeta, now: number): DatasetProgress {
    meta.updatedAt = now;
    this.#save(meta);
    if (!meta.confirmed) this.#schedule(now + UPLOAD_IDLE_MS, false);
    return progressOf(meta);
  }

  #save(meta: DatasetMeta): void {
    writeMeta(this.#sql, "dataset", meta);
  }

  /** Arms the alarm at `at`; unless `exact`, an alarm already at least half an idle period away is left alone (no write per batch). */
  #schedule(at: number, exact: boolean): void {
    if (!exact && this.#alarmAt !== null && this.#alarmAt >= at - UPLOAD_IDLE_MS / 2) return;
    this.#alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  #hasTable(name: string): boolean {
    return this.#sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray().length > 0;
  }

  #lastStaged(): number {
    if (!this.#hasTable("stage")) return 0;
    return (this.#sql.exec<{ n: number | null }>("SELECT max(rowid) AS n FROM stage").one().n ?? 0) as number;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
