import { TesseraError } from "../../errors";
import { insertDataSource, newSourceHex } from "../catalog";
import type { ColumnType, DataDeps, DatasetColumn, DatasetSource } from "../types";
import { planColumns, type HeaderPlan } from "./columns";
import { tabulator, type DatasetFormat } from "./rows";
import { DatasetLoad } from "./staging";
import { UploadText, type UploadBody } from "./text";
import { fits, TypeInference } from "./values";

export type DatasetLimits = {
  /** Largest upload, in bytes. */
  maxBytes: number;
  /** D1 allows 100 columns per table. */
  maxColumns: number;
  /** Longest single row, in characters (D1 caps a row at 1 MB). */
  maxRowChars: number;
};

export const defaultDatasetLimits: DatasetLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxColumns: 100,
  maxRowChars: 200_000,
};

export type CreateDatasetInput = {
  companyId: string;
  name: string;
  format: DatasetFormat;
  body: UploadBody;
  /** Overrides of inferred types, keyed by header label or column name. */
  columnTypes?: Record<string, ColumnType>;
  /** Columns buyers will filter on: each gets an index. */
  filterable?: string[];
};

/**
 * Stores an uploaded CSV / JSON / NDJSON file as a new typed table in the
 * DATASETS database and registers it in the catalog. Reads the body as a
 * stream. Either the whole dataset exists afterwards or nothing does.
 * Throws INVALID_DATASET (naming the line or column) or PAYLOAD_TOO_LARGE.
 */
export async function createDataset(
  deps: DataDeps,
  input: CreateDatasetInput,
  limits: Partial<DatasetLimits> = {},
): Promise<DatasetSource> {
  const { maxBytes, maxColumns, maxRowChars } = { ...defaultDatasetLimits, ...limits };
  const name = input.name.trim();
  if (!name || name.length > 200) throw new TesseraError("INVALID_DATASET", "A dataset needs a name of 1 to 200 characters.");
  if (!["csv", "json", "ndjson"].includes(input.format)) {
    throw new TesseraError("INVALID_DATASET", "The format must be csv, json or ndjson.");
  }

  const hex = newSourceHex();
  const load = new DatasetLoad(deps.datasets, hex);
  const upload = new UploadText(input.body, maxBytes);
  let plan: HeaderPlan | undefined;
  let inference: TypeInference | undefined;
  let rowCount = 0;
  let started = false;
  let flushNeeded = false;

  const table = tabulator(input.format, maxRowChars, {
    header(labels) {
      plan = planColumns(labels, { maxColumns, columnTypes: input.columnTypes, filterable: input.filterable });
      inference = new TypeInference(labels.length);
      load.setColumns(labels.length);
    },
    row({ line, values }) {
      const { columns, overrides } = plan!;
      let chars = 0;
      values.forEach((value, i) => {
        if (value === null) return;
        chars += value.length;
        const override = overrides[i];
        if (override === undefined) inference!.observe(i, value);
        else if (!fits(override, value)) {
          throw new TesseraError(
            "INVALID_DATASET",
            `Line ${line}, column "${columns[i]!.label}": ${quote(value)} is not a valid ${override}.`,
            { line, column: columns[i]!.name },
          );
        }
      });
      if (chars > maxRowChars) {
        throw new TesseraError("INVALID_DATASET", `Line ${line}: the row is longer than ${maxRowChars} characters.`, { line });
      }
      rowCount++;
      if (load.add(values)) flushNeeded = true;
    },
  });

  const pump = async () => {
    if (plan && !started) {
      await load.begin();
      started = true;
    }
    if (flushNeeded && started) {
      flushNeeded = false;
      await load.flush();
    }
  };

  try {
    for await (const text of upload.chunks()) {
      table.push(text);
      await pump();
    }
    table.end();
    await pump();
    if (!plan) throw new TesseraError("INVALID_DATASET", "The file is empty: expected a header row or a first item.");

    const columns: DatasetColumn[] = plan.columns.map((c, i) =>
      plan!.overrides[i] ? c : { ...c, type: inference!.typeOf(i) },
    );
    await load.finish(columns);
    const source: DatasetSource = {
      id: `src_${hex}`,
      companyId: input.companyId,
      kind: "dataset",
      name,
      tableName: load.table,
      rowCount,
      columns,
      sizeBytes: upload.bytes,
      createdAt: Date.now(),
    };
    await insertDataSource(deps.catalog, source);
    return source;
  } catch (error) {
    await load.discard().catch((e) => console.error("dataset cleanup failed", load.table, e));
    throw error;
  }
}

function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
