import { TesseraError } from "../../errors";
import { sqlColumn, type ColumnType, type DatasetColumn, type DatasetSource } from "../types";
import { coerceParam, type BoundValue, type DeclaredParam } from "./params";
import { parseSpec, type Operator, type QuerySpec, type QuerySpecInput } from "./schema";

/** A dataset column as the compiler uses it: its SQL identifier comes from its position only. */
export type ResolvedColumn = DatasetColumn & { sql: string };

export type ResolvedFilter = DeclaredParam & { column: ResolvedColumn };
export type ResolvedWhere = { column: ResolvedColumn; op: Operator; value: BoundValue };

export type ResolvedSpec = {
  spec: QuerySpec;
  output: { column: ResolvedColumn; as: string }[];
  filters: ResolvedFilter[];
  where: ResolvedWhere[];
  sortable: Map<string, ResolvedColumn>;
  defaultSort: { column: ResolvedColumn; dir: "asc" | "desc" }[];
};

const allowedOps: Record<ColumnType, readonly Operator[]> = {
  integer: ["eq", "ne", "lt", "lte", "gt", "gte", "in"],
  real: ["eq", "ne", "lt", "lte", "gt", "gte", "in"],
  boolean: ["eq", "ne", "in"],
  date: ["eq", "ne", "lt", "lte", "gt", "gte", "in", "prefix"],
  text: ["eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "prefix"],
};

/** Resolved specs by dataset and spec object: both are immutable once cached (src/caches.ts), so a warm call resolves nothing. */
const resolved = new WeakMap<DatasetSource, WeakMap<object, ResolvedSpec>>();

/**
 * Checks a spec against a dataset's columns and settles every name to a
 * known column. This is where seller mistakes surface (BAD_REQUEST naming the
 * field), so products can call it when a seller saves a spec.
 */
export function resolveSpec(source: DatasetSource, input: QuerySpecInput | QuerySpec): ResolvedSpec {
  if (typeof input !== "object" || input === null) return resolve(source, input);
  let bySpec = resolved.get(source);
  if (!bySpec) resolved.set(source, (bySpec = new WeakMap()));
  let result = bySpec.get(input);
  if (!result) bySpec.set(input, (result = resolve(source, input)));
  return result;
}

function resolve(source: DatasetSource, input: QuerySpecInput | QuerySpec): ResolvedSpec {
  const spec = parseSpec(input);
  const columns = new Map<string, ResolvedColumn>(
    source.columns.map((c, i) => [c.name, { ...c, sql: sqlColumn(i) }]),
  );
  const column = (name: string, where: string): ResolvedColumn => {
    const found = columns.get(name);
    if (!found) throw invalidSpec(`${where}: the dataset has no column "${name}"`);
    return found;
  };
  const checkOp = (c: ResolvedColumn, op: Operator, where: string) => {
    if (!allowedOps[c.type].includes(op)) throw invalidSpec(`${where}: "${op}" does not apply to ${c.type} column "${c.name}"`);
  };

  const output = (spec.columns ?? [...columns.keys()].map((name) => ({ column: name, as: undefined }))).map((o, i) => ({
    column: column(o.column, `columns.${i}`),
    as: o.as ?? o.column,
  }));
  const names = new Set<string>();
  for (const o of output) {
    if (names.has(o.as)) throw invalidSpec(`columns: "${o.as}" is returned twice`);
    names.add(o.as);
  }

  const params = new Set<string>();
  const filters = spec.filters.map((f, i): ResolvedFilter => {
    const where = `filters.${i}`;
    if (!f.column) throw invalidSpec(`${where}.column is required for a hosted dataset`);
    const c = column(f.column, where);
    if (f.type && f.type !== c.type) throw invalidSpec(`${where}.type is ${f.type} but column "${c.name}" is ${c.type}`);
    if (params.has(f.param)) throw invalidSpec(`${where}.param "${f.param}" is declared twice`);
    params.add(f.param);
    checkOp(c, f.op, where);
    const declared: ResolvedFilter = { param: f.param, type: c.type, op: f.op, required: f.required, column: c };
    if (f.default !== undefined) {
      declared.default = f.default;
      asSpecValue(() => coerceParam(declared, f.default), `${where}.default`);
    }
    return declared;
  });

  const where = spec.where.map((w, i): ResolvedWhere => {
    const c = column(w.column, `where.${i}`);
    checkOp(c, w.op, `where.${i}`);
    const value = asSpecValue(() => coerceParam({ param: c.name, type: c.type, op: w.op }, w.value), `where.${i}.value`);
    return { column: c, op: w.op, value };
  });

  const sortable = new Map(spec.sort.allowed.map((name, i) => [name, column(name, `sort.allowed.${i}`)]));
  const defaultSort = spec.sort.default.map((s, i) => ({ column: column(s.column, `sort.default.${i}`), dir: s.dir }));

  if (spec.aggregate) {
    const a = spec.aggregate;
    if (a.column) {
      const c = column(a.column, "aggregate.column");
      if ((a.fn === "sum" || a.fn === "avg") && !["integer", "real", "boolean"].includes(c.type)) {
        throw invalidSpec(`aggregate: ${a.fn} needs a number column, "${c.name}" is ${c.type}`);
      }
    } else if (a.fn !== "count") throw invalidSpec(`aggregate.column is required for ${a.fn}`);
    if (a.groupBy) column(a.groupBy, "aggregate.groupBy");
  }
  return { spec, output, filters, where, sortable, defaultSort };
}

/** A constant in the spec is the seller's, so its mistakes are BAD_REQUEST, not the buyer's INVALID_FILTER. */
function asSpecValue<T>(f: () => T, where: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TesseraError && e.code === "INVALID_FILTER") {
      throw invalidSpec(`${where}: ${e.message.replace(/^Parameter "[^"]*" /, "").replace(/\.$/, "")}`);
    }
    throw e;
  }
}

/** A seller's spec that does not fit its data: BAD_REQUEST naming the part. */
export function invalidSpec(message: string): TesseraError {
  return new TesseraError("BAD_REQUEST", `Query spec: ${message}.`);
}
