import { TesseraError } from "../../errors";
import { columnTypes } from "../../db/schema/data";
import type { ColumnType, DatasetColumn } from "../types";

export type ColumnOptions = {
  maxColumns: number;
  /** Seller's type overrides, keyed by header label or by column name. */
  columnTypes?: Record<string, string>;
  /** Columns to index, by label or name. */
  filterable?: string[];
};

export type HeaderPlan = {
  /** Types are placeholders until the load ends; overrides are final. */
  columns: DatasetColumn[];
  overrides: (ColumnType | undefined)[];
};

const MAX_LABEL = 200;
const MAX_NAME = 60;

/**
 * Checks the header and gives each column a safe public name: lowercase
 * `[a-z_][a-z0-9_]*`, made from the label, unique. The label is kept as the
 * seller wrote it. (In SQL the column is `c_<position>`; see `sqlColumn`.)
 */
export function planColumns(rawLabels: string[], opts: ColumnOptions): HeaderPlan {
  if (rawLabels.length === 0) throw invalid("The file has no header row.");
  if (rawLabels.length > opts.maxColumns) {
    throw invalid(`The header has ${rawLabels.length} columns; at most ${opts.maxColumns} are allowed.`);
  }
  const labels = rawLabels.map((l) => l.trim());
  const firstSeen = new Map<string, number>();
  labels.forEach((label, i) => {
    if (!label) throw invalid(`Header: column ${i + 1} has no name.`);
    if (label.length > MAX_LABEL) throw invalid(`Header: the name of column ${i + 1} is longer than ${MAX_LABEL} characters.`);
    const key = label.toLowerCase();
    const earlier = firstSeen.get(key);
    if (earlier !== undefined) {
      throw invalid(`Header: column "${label}" appears twice (columns ${earlier + 1} and ${i + 1}).`);
    }
    firstSeen.set(key, i);
  });

  const used = new Set<string>();
  const columns: DatasetColumn[] = labels.map((label, i) => {
    const base = slug(label) || `column_${i + 1}`;
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    return { name, label, type: "text", filterable: false };
  });

  const find = (key: string, what: string): number => {
    const i = columns.findIndex((c) => c.label === key || c.name === key);
    if (i === -1) throw invalid(`${what}: the file has no column "${key}".`);
    return i;
  };

  const overrides: (ColumnType | undefined)[] = columns.map(() => undefined);
  for (const [key, type] of Object.entries(opts.columnTypes ?? {})) {
    if (!(columnTypes as readonly string[]).includes(type)) {
      throw invalid(`Column types: "${type}" for "${key}" is not one of ${columnTypes.join(", ")}.`);
    }
    const i = find(key, "Column types");
    overrides[i] = type as ColumnType;
    columns[i]!.type = type as ColumnType;
  }
  for (const key of opts.filterable ?? []) columns[find(key, "Filterable columns")]!.filterable = true;
  return { columns, overrides };
}

function slug(label: string): string {
  let s = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (/^[0-9]/.test(s)) s = `col_${s}`;
  return s.slice(0, MAX_NAME).replace(/_+$/, "");
}

function invalid(message: string): TesseraError {
  return new TesseraError("INVALID_DATASET", message);
}
