import { TesseraError } from "../../errors";
import { renderChart } from "../charts/svg";
import { datasetOf } from "../store/client";
import type { DatasetNamespace, DatasetSource } from "../types";
import { cached, type PageCache } from "./cache";
import { compileAggregate, compileRows, type CompiledQuery, type PageOptions } from "./compile";
import { encodeCursor } from "./cursor";
import type { PageResult } from "./page";
import type { ResolvedColumn } from "./resolve";
import type { QuerySpec, QuerySpecInput } from "./schema";

type Spec = QuerySpecInput | QuerySpec;
export type Row = Record<string, string | number | boolean | null>;

/** What running a query needs: the datasets' objects, the cursor HMAC key, and optionally the page cache. */
export type QueryContext = {
  datasets: DatasetNamespace;
  /** The CURSOR_SECRET binding. */
  cursorSecret: string;
  /** Absent or null: every call reaches the dataset's object. */
  cache?: PageCache | null;
};

/** One page of an endpoint: rows keyed by the spec's output names, and a cursor when more rows follow. */
export async function runRows(
  ctx: QueryContext,
  source: DatasetSource,
  spec: Spec,
  params: Record<string, unknown>,
  page: PageOptions = {},
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const q = await compileRows(readable(source), spec, params, page, ctx.cursorSecret);
  const result = await cached(ctx.cache, source.id, q.query, () =>
    execute(source, q.query, () => datasetOf(ctx.datasets, source.id).page(q.query) as Promise<PageResult & { hot: boolean }>),
  );
  const rows = result.rows.map((values) => {
    const row: Row = {};
    q.resolved.output.forEach((o, i) => (row[o.as] = present(o.column, values[i])));
    return row;
  });
  const nextCursor = result.more && result.last !== null ? await encodeCursor(result.last, q.endpointId, q.fingerprint, ctx.cursorSecret) : null;
  return { rows, nextCursor };
}

export type Calculation = { value: number | string | null; kind: "number" | "string" | "percentage" };

/** A calculation asset: the spec's aggregate over the filtered rows, as one value. */
export async function runCalculation(
  ctx: QueryContext,
  source: DatasetSource,
  spec: Spec,
  params: Record<string, unknown>,
): Promise<Calculation> {
  const q = compileAggregate(readable(source), spec, params);
  if (q.grouped) throw new TesseraError("BAD_REQUEST", "Query spec: a calculation cannot have aggregate.groupBy.");
  const [first] = await values(ctx, source, q);
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
  ctx: QueryContext,
  source: DatasetSource,
  spec: Spec,
  params: Record<string, unknown>,
): Promise<Visualization> {
  const q = compileAggregate(readable(source), spec, params);
  if (!q.grouped) throw new TesseraError("BAD_REQUEST", "Query spec: a visualization needs aggregate.groupBy.");
  const agg = q.resolved.spec.aggregate!;
  const label = (name: string | undefined) => source.columns.find((c) => c.name === name)?.label ?? name ?? "rows";
  const title = q.resolved.spec.chart?.title ?? `${agg.fn} of ${agg.column ? label(agg.column) : "rows"} by ${label(agg.groupBy)}`;
  const percent = agg.display === "percentage";
  const groupType = source.columns.find((c) => c.name === agg.groupBy)?.type;
  const points = (await values(ctx, source, q)).map(([group, value]) => ({
    label: group === null ? "(none)" : groupType === "boolean" ? String(group === 1) : String(group),
    value: typeof value === "number" ? (percent ? value * 100 : value) : null,
  }));
  const type = q.resolved.spec.chart?.type ?? "bar";
  const svg = renderChart({ type, title, labels: points.map((p) => p.label), values: points.map((p) => p.value) });
  return { chart: { type, title, points }, svg };
}

async function values(ctx: QueryContext, source: DatasetSource, q: CompiledQuery): Promise<unknown[][]> {
  const statement = { sql: q.sql, bindings: q.bindings };
  const result = await cached(ctx.cache, source.id, statement, () =>
    execute(source, statement, () => datasetOf(ctx.datasets, source.id).values(statement) as Promise<{ rows: unknown[][]; hot: boolean }>),
  );
  return result.rows;
}

/** Runs a compiled statement in the dataset's object; a database error never reaches the buyer as SQL. */
async function execute<T>(source: DatasetSource, statement: unknown, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    console.error("dataset query failed", source.id, JSON.stringify(statement), error);
    throw new TesseraError("INTERNAL", "The dataset query failed.");
  }
}

/** Rows exist once the upload finished; a product can't be made over an upload still running. */
function readable(source: DatasetSource): DatasetSource {
  if (source.status !== "ready") throw new TesseraError("CONFLICT", `${source.id} is still uploading: its rows can be read once the upload is complete.`);
  return source;
}

function present(column: ResolvedColumn, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (column.type === "boolean") return value === 1;
  return value as string | number;
}
