import { TesseraError } from "../../errors";
import { renderChart } from "../charts/svg";
import type { DatasetSource } from "../types";
import { compileAggregate, compileRows, type CompiledQuery, type PageOptions } from "./compile";
import { encodeCursor } from "./cursor";
import type { ResolvedColumn } from "./resolve";
import type { QuerySpec, QuerySpecInput } from "./schema";

type Spec = QuerySpecInput | QuerySpec;
export type Row = Record<string, string | number | boolean | null>;

/** One page of an endpoint: rows keyed by the spec's output names, and a cursor when more rows follow. */
export async function runRows(
  db: D1Database,
  source: DatasetSource,
  spec: Spec,
  params: Record<string, unknown>,
  page: PageOptions = {},
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const q = await compileRows(source, spec, params, page);
  const raw = await execute(db, q);
  const more = raw.length > q.pageSize;
  const rows = raw.slice(0, q.pageSize).map((values) => {
    const row: Row = {};
    q.resolved.output.forEach((o, i) => (row[o.as] = present(o.column, values[i])));
    return row;
  });
  const nextCursor = more ? await encodeCursor(q.offset + q.pageSize, q.fingerprint) : null;
  return { rows, nextCursor };
}

export type Calculation = { value: number | string | null; kind: "number" | "string" | "percentage" };

/** A calculation asset: the spec's aggregate over the filtered rows, as one value. */
export async function runCalculation(
  db: D1Database,
  source: DatasetSource,
  spec: Spec,
  params: Record<string, unknown>,
): Promise<Calculation> {
  const q = compileAggregate(source, spec, params);
  if (q.grouped) throw new TesseraError("BAD_REQUEST", "Query spec: a calculation cannot have aggregate.groupBy.");
  const [first] = await execute(db, q);
  const value = (first?.[0] ?? null) as number | string | null;
  if (q.resolved.spec.aggregate!.display === "percentage" && typeof value === "number") {
    return { value: Math.round(value * 100 * 1e6) / 1e6, kind: "percentage" };
  }
  return { value, kind: typeof value === "string" ? "string" : "number" };
}

export type Visualization = {
  chart: { type: "bar" | "line"; title: string; points: { label: string; value: number | null }[] };
  svg: string;
};

/** A visualization asset: the aggregate per group, as chart data and a rendered SVG. */
export async function runVisualization(
  db: D1Database,
  source: DatasetSource,
  spec: Spec,
  params: Record<string, unknown>,
): Promise<Visualization> {
  const q = compileAggregate(source, spec, params);
  if (!q.grouped) throw new TesseraError("BAD_REQUEST", "Query spec: a visualization needs aggregate.groupBy.");
  const agg = q.resolved.spec.aggregate!;
  const label = (name: string | undefined) => source.columns.find((c) => c.name === name)?.label ?? name ?? "rows";
  const title = q.resolved.spec.chart?.title ?? `${agg.fn} of ${agg.column ? label(agg.column) : "rows"} by ${label(agg.groupBy)}`;
  const percent = agg.display === "percentage";
  const groupType = source.columns.find((c) => c.name === agg.groupBy)?.type;
  const points = (await execute(db, q)).map(([group, value]) => ({
    label: group === null ? "(none)" : groupType === "boolean" ? String(group === 1) : String(group),
    value: typeof value === "number" ? (percent ? value * 100 : value) : null,
  }));
  const type = q.resolved.spec.chart?.type ?? "bar";
  const svg = renderChart({ type, title, labels: points.map((p) => p.label), values: points.map((p) => p.value) });
  return { chart: { type, title, points }, svg };
}

/** Runs a compiled statement; a database error never reaches the buyer as SQL. */
async function execute(db: D1Database, q: CompiledQuery): Promise<unknown[][]> {
  try {
    return await db.prepare(q.sql).bind(...q.bindings).raw();
  } catch (error) {
    console.error("dataset query failed", q.sql, error);
    throw new TesseraError("INTERNAL", "The dataset query failed.");
  }
}

function present(column: ResolvedColumn, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (column.type === "boolean") return value === 1;
  return value as string | number;
}
