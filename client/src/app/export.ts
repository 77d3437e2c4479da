/**
 * A stored result as a file the buyer keeps: CSV (a table of its values) or
 * JSON (the result as stored, minus the chart's drawing). Made in the browser
 * from the result already shown, so a download costs nothing.
 */
import type { ProductResult } from "../../../src/products/run";

export interface ResultTable {
  columns: string[];
  rows: Record<string, unknown>[];
}

/** The values behind any result: its rows, its one value, or its chart's points. */
export function tableOf(result: ProductResult): ResultTable {
  if (result.type === "calculation") return { columns: ["value", "kind"], rows: [{ value: result.value, kind: result.kind }] };
  if (result.type === "visualization") return { columns: ["label", "value"], rows: result.chart.points.map((p) => ({ label: p.label, value: p.value })) };
  const rows = result.rows as Record<string, unknown>[];
  return { columns: rows.length ? Object.keys(rows[0]!) : [], rows };
}

/**
 * RFC 4180 CSV. A text cell that a spreadsheet would read as a formula
 * (starting with = + - @) gets a leading apostrophe: a seller's labels must
 * not run in the buyer's spreadsheet.
 */
export function toCsv({ columns, rows }: ResultTable): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return "";
    let text = typeof v === "object" ? JSON.stringify(v) : String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.map(cell).join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\r\n") + "\r\n";
}

/** The result as JSON; a chart keeps its data, not its SVG markup. */
export function toJson(result: ProductResult): string {
  const { svg: _svg, ...rest } = result.type === "visualization" ? result : { ...result, svg: undefined };
  return `${JSON.stringify(rest, null, 2)}\n`;
}

/** Saves `text` as a file named `name` (an object URL on a transient link). */
export function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "Population by region" → "population-by-region". */
export function fileBase(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "result";
}
