import type { ProductResult } from "../../../../src/products/run";
import { formatValue } from "../format";
import { Empty } from "./page";

/** Stored previews and purchases are JSON columns typed `unknown` on the way out; this is their shape. */
type Result = ProductResult;

function asResult(value: unknown): Result | null {
  return value && typeof value === "object" && "type" in value ? (value as Result) : null;
}

/**
 * What a product returns, shown as the buyer sees it: a table of rows, one
 * value, or a chart. A chart is the server's SVG shown as an image (a data:
 * URL in <img>), so nothing in its markup can run as script.
 */
export function ResultView({ result: raw, emptyHint }: { result: unknown; emptyHint?: string }) {
  const result = asResult(raw);
  if (!result) return <Empty title="No preview">{emptyHint ?? "This product has no sample result yet."}</Empty>;
  if (result.type === "calculation") {
    return (
      <div className="value-result">
        <span className="value">{formatValue(result.value, result.kind)}</span>
        <span className="muted">{result.kind}</span>
      </div>
    );
  }
  if (result.type === "visualization") {
    return (
      <figure className="viz">
        <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.svg)}`} alt={result.chart.title || "Chart"} />
      </figure>
    );
  }
  return <RowsTable rows={result.rows as Record<string, unknown>[]} />;
}

export function RowsTable({ rows }: { rows: Record<string, unknown>[] }) {
  if (rows.length === 0) return <Empty title="No rows">The query ran and matched no rows.</Empty>;
  const columns = Object.keys(rows[0]!);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Rows">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{row[c] === null || row[c] === undefined ? "—" : String(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
