import { TesseraError } from "../../errors";
import { CsvParser, type CsvState } from "./csv";
import { JsonParser, type JsonState } from "./json";

export type DatasetFormat = "csv" | "json" | "ndjson";

/** Either kind of upload, seen as a header and rows of text cells (null for empty). */
export type TableRow = { line: number; values: (string | null)[] };

type Sink = {
  header(labels: string[], line: number): void;
  row(row: TableRow): void;
};

/** Where the parse stands, as plain data, so an upload in parts resumes in another request. */
export type TableState = { csv: CsvState; width: number } | { json: JsonState; fields: string[] | null };

export type Tabulator = {
  push(text: string): void;
  end(): void;
  save(): TableState;
  load(state: TableState): void;
};

/**
 * Turns the parser's records into header + rows, with the checks that need
 * the header: CSV rows must have as many fields as it; JSON items must be flat
 * objects whose fields the first item named (a missing field is null).
 */
export function tabulator(format: DatasetFormat, maxRecordChars: number, sink: Sink): Tabulator {
  if (format === "csv") {
    const parser = new CsvParser(maxRecordChars);
    let width = -1;
    const take = (records: ReturnType<CsvParser["push"]>) => {
      for (const { line, cells } of records) {
        if (width === -1) {
          width = cells.length;
          sink.header(cells, line);
          continue;
        }
        if (cells.length !== width) {
          throw invalid(line, `expected ${width} fields as in the header, found ${cells.length}`);
        }
        sink.row({ line, values: cells.map((c) => (c === "" ? null : c)) });
      }
    };
    return {
      push: (text) => take(parser.push(text)),
      end: () => take(parser.end()),
      save: () => ({ csv: parser.save(), width }),
      load: (state) => {
        if (!("csv" in state)) throw new Error("not a CSV parse");
        parser.load(state.csv);
        width = state.width;
      },
    };
  }

  const parser = new JsonParser(format, maxRecordChars);
  let fields: Map<string, number> | undefined;
  const take = (items: ReturnType<JsonParser["push"]>) => {
    for (const { line, value } of items) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw invalid(line, "expected a JSON object");
      }
      const entries = Object.entries(value);
      if (!fields) {
        const labels = entries.map(([k]) => k);
        sink.header(labels, line);
        fields = new Map(labels.map((k, i) => [k, i]));
      }
      const values: (string | null)[] = new Array<string | null>(fields.size).fill(null);
      for (const [key, v] of entries) {
        const i = fields.get(key);
        if (i === undefined) throw invalid(line, `field "${key}" is not one of the first item's fields`);
        values[i] = cellText(v, key, line);
      }
      sink.row({ line, values });
    }
  };
  return {
    push: (text) => take(parser.push(text)),
    end: () => take(parser.end()),
    save: () => ({ json: parser.save(), fields: fields ? [...fields.keys()] : null }),
    load: (state) => {
      if (!("json" in state)) throw new Error("not a JSON parse");
      parser.load(state.json);
      fields = state.fields ? new Map(state.fields.map((k, i) => [k, i])) : undefined;
    },
  };
}

function cellText(v: unknown, key: string, line: number): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v === "" ? null : v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  throw invalid(line, `field "${key}" holds ${Array.isArray(v) ? "an array" : "an object"}; only flat values are supported`);
}

function invalid(line: number, message: string): TesseraError {
  return new TesseraError("INVALID_DATASET", `Line ${line}: ${message}.`, { line });
}
