import type { ColumnType } from "../types";

/**
 * What each column type accepts, as text. Inference and seller overrides use
 * the same tests, and the SQL conversion below relies on them: a value that
 * passed `fits(type)` converts exactly.
 */
const INTEGER = /^-?(0|[1-9]\d*)$/; // no leading zeros: "00501" is a zip code, not 501
const REAL = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

export function fits(type: ColumnType, value: string): boolean {
  switch (type) {
    case "integer":
      return INTEGER.test(value) && Number.isSafeInteger(Number(value));
    case "real":
      return REAL.test(value) && Number.isFinite(Number(value));
    case "boolean":
      return BOOLEAN.test(value);
    case "date":
      return isIsoDate(value);
    case "text":
      return true;
  }
}

export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59)) return false;
  if (m[6] !== undefined && Number(m[6]) > 59) return false;
  return true;
}

/** Narrowest first: the first type every value of a column fits is its type. */
const ORDER: ColumnType[] = ["integer", "real", "boolean", "date"];

/**
 * Column types from every value of the upload, in one pass: each column keeps
 * the set of types all its values so far fit, and a value that doesn't fit
 * narrows the set (integer → real → text, and so on). Nothing is guessed from
 * a sample, so no later row can contradict the choice.
 */
export class TypeInference {
  readonly #candidates: number[];
  readonly #seen: boolean[];

  constructor(columns: number) {
    this.#candidates = new Array<number>(columns).fill((1 << ORDER.length) - 1);
    this.#seen = new Array<boolean>(columns).fill(false);
  }

  observe(position: number, value: string): void {
    let set = this.#candidates[position]!;
    if (set === 0) return;
    for (let t = 0; t < ORDER.length; t++) {
      if (set & (1 << t) && !fits(ORDER[t]!, value)) set &= ~(1 << t);
    }
    this.#candidates[position] = set;
    this.#seen[position] = true;
  }

  /** The sets so far, as plain data (an upload in parts resumes from them). */
  save(): { candidates: number[]; seen: boolean[] } {
    return { candidates: [...this.#candidates], seen: [...this.#seen] };
  }

  static load(state: { candidates: number[]; seen: boolean[] }): TypeInference {
    const inference = new TypeInference(state.candidates.length);
    state.candidates.forEach((c, i) => (inference.#candidates[i] = c));
    state.seen.forEach((s, i) => (inference.#seen[i] = s));
    return inference;
  }

  typeOf(position: number): ColumnType {
    if (!this.#seen[position]) return "text"; // an empty column says nothing
    const set = this.#candidates[position]!;
    const t = ORDER.findIndex((_, k) => set & (1 << k));
    return t === -1 ? "text" : ORDER[t]!;
  }
}

/** The SQLite column type a dataset column is stored as (tables are STRICT). */
export function storageType(type: ColumnType): "INTEGER" | "REAL" | "TEXT" {
  return type === "integer" || type === "boolean" ? "INTEGER" : type === "real" ? "REAL" : "TEXT";
}

/** SQL that turns the staged text in `column` into its final type. Values were checked with `fits` first. */
export function convertExpression(type: ColumnType, column: string): string {
  switch (type) {
    case "integer":
      return `CAST(${column} AS INTEGER)`;
    case "real":
      return `CAST(${column} AS REAL)`;
    case "boolean":
      return `CASE lower(${column}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END`;
    case "date":
      return `replace(${column}, ' ', 'T')`; // one ISO form, so dates sort as text
    case "text":
      return column;
  }
}
