import { sqlColumn, type DatasetSource } from "../types";
import { decodeCursor } from "./cursor";
import type { PageQuery, SortKey } from "./page";
import { invalidFilter, resolveParams, type BoundValue } from "./params";
import { invalidSpec, resolveSpec, type ResolvedColumn, type ResolvedSpec } from "./resolve";
import type { Operator, QuerySpec, QuerySpecInput } from "./schema";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** A statement ready for the dataset's object: identifiers come from the dataset's known columns, every value is in `bindings`. */
export type CompiledQuery = { sql: string; bindings: (string | number)[] };

export type CompiledRows = {
  query: PageQuery;
  resolved: ResolvedSpec;
  pageSize: number;
  endpointId: string;
  /** What a cursor is bound to: the endpoint, the dataset and the statement (spec, filter values, sort). */
  fingerprint: string;
};

/** `endpointId` binds cursors to the endpoint that issued them (a cursor of one endpoint is refused by another). */
export type PageOptions = { pageSize?: number | string; cursor?: string | null; endpointId?: string };

/**
 * One page of rows, as a keyset position: a cursor (checked against its
 * HMAC) gives the rowid of the previous page's last row and the dataset's
 * object seeks past it (query/page.ts). Never an OFFSET.
 */
export async function compileRows(
  source: DatasetSource,
  specInput: QuerySpecInput | QuerySpec,
  params: Record<string, unknown>,
  page: PageOptions,
  cursorSecret: string,
): Promise<CompiledRows> {
  const resolved = resolveSpec(source, specInput);
  const pageSize = readPageSize(page.pageSize);
  const { where, bindings } = whereClause(resolved, params);
  const order = orderKeys(resolved, params.sort);
  const select = resolved.output.map((o) => o.column.sql);
  const fingerprint = JSON.stringify([page.endpointId ?? "", source.id, select, where, bindings, order]);
  const after = page.cursor ? await decodeCursor(page.cursor, page.endpointId ?? "", fingerprint, cursorSecret) : null;
  return { query: { select, where, bindings, order, after, limit: pageSize }, resolved, pageSize, endpointId: page.endpointId ?? "", fingerprint };
}

/** One aggregate value, or one per group when the spec has `groupBy`. */
export function compileAggregate(
  source: DatasetSource,
  specInput: QuerySpecInput | QuerySpec,
  params: Record<string, unknown>,
): CompiledQuery & { resolved: ResolvedSpec; grouped: boolean } {
  const resolved = resolveSpec(source, specInput);
  const agg = resolved.spec.aggregate;
  if (!agg) throw invalidSpec("this product has no aggregate");
  if (params.sort !== undefined) throw invalidFilter("sort", "does not apply to a calculation or chart");
  const { where: condition, bindings } = whereClause(resolved, params);
  const where = condition ? ` WHERE ${condition}` : "";
  const byName = new Map(source.columns.map((c, i) => [c.name, sqlColumn(i)]));
  const target = agg.column ? byName.get(agg.column)! : "*";
  const value = agg.fn === "count" ? `count(${target})` : `${agg.fn}(${target})`;
  if (!agg.groupBy) return { sql: `SELECT ${value} FROM data${where}`, bindings, resolved, grouped: false };
  const group = byName.get(agg.groupBy)!;
  return {
    sql: `SELECT ${group}, ${value} FROM data${where} GROUP BY ${group} ORDER BY ${group} LIMIT ?`,
    bindings: [...bindings, agg.limit],
    resolved,
    grouped: true,
  };
}

function whereClause(resolved: ResolvedSpec, params: Record<string, unknown>) {
  const values = resolveParams(resolved.filters, params);
  const parts: string[] = [];
  const bindings: (string | number)[] = [];
  const add = (column: ResolvedColumn, op: Operator, value: BoundValue) => {
    const [sql, binds] = condition(column.sql, op, value);
    parts.push(sql);
    bindings.push(...binds);
  };
  for (const w of resolved.where) add(w.column, w.op, w.value);
  for (const f of resolved.filters) {
    const value = values.get(f.param);
    if (value !== undefined) add(f.column, f.op, value);
  }
  return { where: parts.join(" AND "), bindings };
}

/** The SQL of one condition. `column` is a generated `c_<n>`; the value is only ever bound. */
function condition(column: string, op: Operator, value: BoundValue): [string, (string | number)[]] {
  if (op === "in") return [`${column} IN (SELECT value FROM json_each(?))`, [JSON.stringify(value)]];
  if (Array.isArray(value)) throw new Error(`operator ${op} got a list`);
  switch (op) {
    case "eq":
      return [`${column} = ?`, [value]];
    case "ne":
      return [`${column} IS NOT ?`, [value]]; // rows with no value count as "not equal"
    case "lt":
      return [`${column} < ?`, [value]];
    case "lte":
      return [`${column} <= ?`, [value]];
    case "gt":
      return [`${column} > ?`, [value]];
    case "gte":
      return [`${column} >= ?`, [value]];
    case "contains": // instr, not LIKE: no wildcards to escape and no 50-byte pattern limit
      return [`instr(lower(${column}), lower(?)) > 0`, [value]];
    case "prefix":
      return [`substr(${column}, 1, length(?)) = ?`, [value, value]];
  }
}

/**
 * Buyer sort `name` or `-name` among the allowed columns, else the default.
 * The object ends every order in `rowid` (a unique tiebreak) in the direction
 * of the first key, so one index serves a sort and its reverse.
 */
function orderKeys(resolved: ResolvedSpec, sort: unknown): SortKey[] {
  let keys = resolved.defaultSort;
  if (sort !== undefined && sort !== "") {
    if (typeof sort !== "string") throw invalidFilter("sort", "takes one column name");
    const desc = sort.startsWith("-");
    const name = desc ? sort.slice(1) : sort;
    const column = resolved.sortable.get(name);
    if (!column) {
      const allowed = [...resolved.sortable.keys()].join(", ") || "none";
      throw invalidFilter("sort", `cannot sort by "${name.slice(0, 60)}" (sortable columns: ${allowed})`);
    }
    keys = [{ column, dir: desc ? "desc" : "asc" }];
  }
  return keys.map((k) => ({ column: k.column.sql, dir: k.dir }));
}

function readPageSize(raw: number | string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_PAGE_SIZE;
  const n = typeof raw === "number" ? raw : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw invalidFilter("page_size", `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return n;
}
