import type { ProductResult } from "../../../../src/products/run";
import { fileBase, saveFile, tableOf, toCsv, toJson } from "../export";
import { formatCell, formatColumn, formatValue } from "../format";
import { columnsFor, DataTable } from "./data-table";
import { Empty } from "./page";

/** Stored previews and purchases are JSON columns typed `unknown` on the way out; this is their shape. */
type Result = ProductResult;

function asResult(value: unknown): Result | null {
  return value && typeof value === "object" && "type" in value ? (value as Result) : null;
}

/**
 * What a product returns, shown as the buyer sees it: a table of rows, one
 * value, or a chart with its values beside it. A chart is the server's SVG
 * shown as an image (a data: URL in <img>), so nothing in its markup can run
 * as script. With `download` (the file name's base), the result can be saved
 * as CSV or JSON.
 */
export function ResultView({ result: raw, emptyHint, download }: { result: unknown; emptyHint?: string; download?: string }) {
  const result = asResult(raw);
  if (!result) return <Empty title="No preview">{emptyHint ?? "This product has no sample result yet."}</Empty>;
  const saving = download ? <Downloads result={result} name={download} /> : null;
  if (result.type === "calculation") {
    return (
      <>
        <div className="value-result">
          <span className="value" data-testid="result-value">
            {formatValue(result.value, result.kind)}
          </span>
          <span className="muted">{result.kind}</span>
        </div>
        {saving}
      </>
    );
  }
  if (result.type === "visualization") {
    const title = result.chart.title || "Chart";
    return (
      <>
        {/* Keyboard-scrollable: on a phone the image keeps a readable width and scrolls. */}
        <figure className="viz" tabIndex={0} role="region" aria-label={`${title} (image)`}>
          <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.svg)}`} alt={title} />
        </figure>
        <details className="result-values" open>
          <summary>The chart's values</summary>
          <RowsTable rows={tableOf(result).rows} label={`${title}: values`} />
        </details>
        {saving}
      </>
    );
  }
  return (
    <>
      <RowsTable rows={result.rows as Record<string, unknown>[]} />
      {saving}
    </>
  );
}

function Downloads({ result, name }: { result: Result; name: string }) {
  const base = fileBase(name);
  return (
    <div className="actions downloads">
      <button type="button" className="button secondary small" onClick={() => saveFile(`${base}.csv`, toCsv(tableOf(result)), "text/csv")}>
        Download CSV
      </button>
      <button type="button" className="button secondary small" onClick={() => saveFile(`${base}.json`, toJson(result), "application/json")}>
        Download JSON
      </button>
    </div>
  );
}

type Row = Record<string, unknown>;
const col = columnsFor<Row>();

/** Rows as a table: column names as people read them, numbers formatted and right-aligned. */
export function RowsTable({ rows, label = "Rows" }: { rows: Row[]; label?: string }) {
  if (rows.length === 0) return <Empty title="No rows">The query ran and matched no rows.</Empty>;
  const names = Object.keys(rows[0]!);
  const columns = names.map((name) =>
    col.accessor((row) => row[name] as string | number | null, {
      id: name,
      header: formatColumn(name),
      cell: (c) => formatCell(c.getValue()),
      meta: typeof rows[0]![name] === "number" ? { align: "right" } : {},
    }),
  );
  return <DataTable label={label} columns={columns} list={{ rows }} empty={null} rowKey={(row) => String(rows.indexOf(row))} />;
}
