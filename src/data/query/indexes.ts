import { datasetOf } from "../store/client";
import type { IndexDef } from "../store/indexes";
import { sqlColumn, type DatasetNamespace, type DatasetSource, type DataSource } from "../types";
import type { SortKey } from "./page";
import { resolveSpec, type ResolvedSpec } from "./resolve";
import type { QuerySpec } from "./schema";

/** Buyer sort columns that get an index of their own; further ones are sorted on the fly. */
const MAX_SORTED = 4;
/** Indexes one spec may ask for. */
const MAX_INDEXES = 8;

/**
 * The indexes that serve a spec, so a filtered and sorted endpoint reads its
 * page straight off an index instead of sorting every matching row on each
 * call: the columns of its equality filters (the seller's `where` and the
 * buyer's `eq` params), then the sort's keys, once for the default sort and
 * once per allowed buyer sort. An optional filter the buyer may leave out
 * gets a second index without it. Directions are taken relative to the
 * first sort key: a page's order ends in rowid in that key's direction, and
 * an index scanned backwards serves the reverse order. Aggregates get their
 * filters, then the column they group by.
 */
export function planIndexes(source: DatasetSource, resolved: ResolvedSpec): IndexDef[] {
  const always = [
    ...resolved.where.filter((w) => w.op === "eq").map((w) => w.column.sql),
    ...resolved.filters.filter((f) => f.op === "eq" && (f.required || f.default !== undefined)).map((f) => f.column.sql),
  ];
  const optional = resolved.filters.filter((f) => f.op === "eq" && !f.required && f.default === undefined).map((f) => f.column.sql);
  const orders: SortKey[][] = [];
  const agg = resolved.spec.aggregate;
  if (agg) {
    const group = agg.groupBy ? source.columns.findIndex((c) => c.name === agg.groupBy) : -1;
    orders.push(group >= 0 ? [{ column: sqlColumn(group), dir: "asc" }] : []);
  } else {
    orders.push(resolved.defaultSort.map((k) => ({ column: k.column.sql, dir: k.dir })));
    for (const column of [...resolved.sortable.values()].slice(0, MAX_SORTED)) orders.push([{ column: column.sql, dir: "asc" }]);
  }
  const defs: IndexDef[] = [];
  for (const order of orders) {
    defs.push(indexOf([...always, ...optional], order));
    if (optional.length) defs.push(indexOf(always, order));
  }
  const seen = new Set<string>();
  return defs
    .filter((d) => {
      const key = JSON.stringify(d.columns);
      if (d.columns.length === 0 || seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_INDEXES);
}

/**
 * Builds the indexes a product's spec needs in its dataset's object (once;
 * an index that exists is kept). Called when a seller saves a spec; does
 * nothing for an HTTP origin.
 */
export async function indexForSpec(datasets: DatasetNamespace, source: DataSource, spec: QuerySpec): Promise<void> {
  if (source.kind !== "dataset") return;
  const defs = planIndexes(source, resolveSpec(source, spec));
  if (defs.length) await datasetOf(datasets, source.id).index(defs);
}

function indexOf(equal: string[], order: SortKey[]): IndexDef {
  const eq = [...new Set(equal)];
  const flip = order[0]?.dir === "desc";
  const keys = order
    .filter((k) => !eq.includes(k.column))
    .map((k) => ({ column: k.column, dir: (k.dir === "desc") !== flip ? ("desc" as const) : ("asc" as const) }));
  return { columns: [...eq.map((column) => ({ column, dir: "asc" as const })), ...keys] };
}
