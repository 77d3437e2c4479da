import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof build>;

const built = new WeakMap<D1Database, Db>();

/** The database over a D1 binding, built once per binding and isolate: building reads the whole schema. */
export function createDb(d1: D1Database): Db {
  let db = built.get(d1);
  if (!db) built.set(d1, (db = build(d1)));
  return db;
}

function build(d1: D1Database) {
  return drizzle(d1, { schema });
}

export { schema };

/** D1 binds at most 100 parameters per statement: `IN (...)` lists go in slices of 90. */
export function chunks<T>(items: T[], size = 90): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
