import { TesseraError } from "../../errors";
import type { DatasetStub } from "../store/client";
import type { DatasetProgress } from "../store/meta";
import type { ColumnType, DatasetColumn } from "../types";
import { planColumns, type HeaderPlan } from "./columns";
import { checkBytes, type DatasetLimits } from "./limits";
import { tabulator, type DatasetFormat, type TableState, type Tabulator } from "./rows";
import { UploadText, type UploadBody } from "./text";
import { fits, TypeInference } from "./values";

/** Rows go to the object as JSON arrays of at most this many characters each (one bound value, under SQLite's 2 MB even as UTF-8). */
const CHUNK_CHARS = 256 * 1024;
/** Chunks per `append` call: about 1 MB of rows per RPC, awaited before more of the body is read. */
const CHUNKS_PER_BATCH = 4;

/** What an upload's parse needs to go on in another request: kept in the dataset's object between parts. */
export type SavedUpload = {
  format: DatasetFormat;
  columnTypes?: Record<string, ColumnType> | undefined;
  filterable?: string[] | undefined;
  plan: HeaderPlan | null;
  inference: { candidates: number[]; seen: boolean[] } | null;
  rows: number;
  bytes: number;
  /** Bytes of a character the last part cut in two. */
  carry: number[];
  table: TableState | null;
};

export function newUpload(format: DatasetFormat, columnTypes?: Record<string, ColumnType>, filterable?: string[]): SavedUpload {
  return { format, columnTypes, filterable, plan: null, inference: null, rows: 0, bytes: 0, carry: [], table: null };
}

/**
 * The worker's side of one part of an upload: reads the body as a stream,
 * parses it (CSV or JSON, resuming where the last part stopped), checks every
 * value against its column, and sends rows to the dataset's object in
 * batches, awaiting each (its own RPC and transaction) before reading more.
 * Memory stays at one batch plus one unfinished row, whatever the file's size.
 */
export class PartReceiver {
  readonly #table: Tabulator;
  #plan: HeaderPlan | null;
  #inference: TypeInference | null;
  #rows: number;
  #bytes: number;
  #carry: Uint8Array;
  #chunks: string[] = [];
  #pending: string[] = [];
  #pendingChars = 0;

  constructor(
    readonly stub: DatasetStub,
    readonly lease: string,
    readonly saved: SavedUpload,
    readonly limits: DatasetLimits,
  ) {
    // JSON keeps "no override" as null: back to undefined.
    this.#plan = saved.plan && { columns: saved.plan.columns, overrides: saved.plan.overrides.map((o) => o ?? undefined) };
    this.#inference = saved.inference ? TypeInference.load(saved.inference) : null;
    this.#rows = saved.rows;
    this.#bytes = saved.bytes;
    this.#carry = Uint8Array.from(saved.carry);
    this.#table = tabulator(saved.format, limits.maxRowChars, {
      header: (labels) => {
        this.#plan = planColumns(labels, { maxColumns: limits.maxColumns, columnTypes: saved.columnTypes, filterable: saved.filterable });
        this.#inference = new TypeInference(labels.length);
      },
      row: ({ line, values }) => this.#row(line, values),
    });
    if (saved.table) this.#table.load(saved.table);
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Reads one body to its end. `used` is what the seller's other datasets take of the quota. */
  async read(body: UploadBody, opts: { used: number; final: boolean }): Promise<void> {
    const text = new UploadText(body, {
      offset: this.#bytes,
      carry: this.#carry,
      check: (fileBytes, bodyBytes) => checkBytes(this.limits, { used: opts.used, fileBytes, bodyBytes }),
    });
    for await (const chunk of text.chunks(opts.final)) {
      // A body may come as one huge chunk (a string, a buffer): parse it in slices so batches leave between them.
      for (let at = 0; at < chunk.length; at += CHUNK_CHARS) {
        this.#table.push(chunk.length <= CHUNK_CHARS ? chunk : chunk.slice(at, at + CHUNK_CHARS));
        if (this.#chunks.length >= CHUNKS_PER_BATCH) await this.#send();
      }
      this.#bytes = text.bytes;
    }
    this.#bytes = text.bytes;
    this.#carry = text.carry;
  }

  /** The file ended: parses what was left unfinished and stores the last rows. */
  async end(): Promise<DatasetColumn[]> {
    this.#table.end();
    if (!this.#plan) throw new TesseraError("INVALID_DATASET", "The file is empty: expected a header row or a first item.");
    await this.flush();
    const plan = this.#plan;
    return plan.columns.map((c, i) => (plan.overrides[i] ? c : { ...c, type: this.#inference!.typeOf(i) }));
  }

  /** Stores every row parsed so far. */
  async flush(): Promise<void> {
    this.#cut();
    while (this.#chunks.length) await this.#send();
  }

  progress(): { bytes: number; rows: number } {
    return { bytes: this.#bytes, rows: this.#rows };
  }

  /** Where the parse stands, for the next part. Call after `flush`. */
  save(): SavedUpload {
    return {
      ...this.saved,
      plan: this.#plan,
      inference: this.#inference?.save() ?? null,
      rows: this.#rows,
      bytes: this.#bytes,
      carry: [...this.#carry],
      table: this.#table.save(),
    };
  }

  #row(line: number, values: (string | null)[]): void {
    const { columns, overrides } = this.#plan!;
    let chars = 0;
    values.forEach((value, i) => {
      if (value === null) return;
      chars += value.length;
      const override = overrides[i];
      if (override === undefined) this.#inference!.observe(i, value);
      else if (!fits(override, value)) {
        throw new TesseraError("INVALID_DATASET", `Line ${line}, column "${columns[i]!.label}": ${quote(value)} is not a valid ${override}.`, {
          line,
          column: columns[i]!.name,
        });
      }
    });
    if (chars > this.limits.maxRowChars) {
      throw new TesseraError("INVALID_DATASET", `Line ${line}: the row is longer than ${this.limits.maxRowChars} characters.`, { line });
    }
    this.#rows++;
    const json = JSON.stringify(values);
    // Cut before the row that would pass the mark, so a chunk stays under CHUNK_CHARS (or is one row, itself capped).
    if (this.#pending.length > 0 && this.#pendingChars + json.length + 1 > CHUNK_CHARS) this.#cut();
    this.#pending.push(json);
    this.#pendingChars += json.length + 1;
  }

  #cut(): void {
    if (this.#pending.length === 0) return;
    this.#chunks.push(`[${this.#pending.join(",")}]`);
    this.#pending = [];
    this.#pendingChars = 0;
  }

  async #send(): Promise<DatasetProgress> {
    const batch = this.#chunks.splice(0, CHUNKS_PER_BATCH);
    return this.stub.append(this.lease, this.#plan!.columns.length, batch, this.progress());
  }
}

function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
