import { and, desc, eq } from "drizzle-orm";
import { toHex } from "../crypto";
import { createDb } from "../db";
import { dataSources } from "../db/schema/data";
import { TesseraError } from "../errors";
import type { DataSource, DatasetSource, OriginSource } from "./types";

type Row = typeof dataSources.$inferSelect;

/** 24 random hex digits: the data source id is `src_<hex>`, its table `ds_<hex>`. */
export function newSourceHex(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(12)));
}

const TABLE_NAME = /^ds_[0-9a-f]{24}$/;

/** Table names reach SQL as identifiers, so a stored one is re-checked before use. */
export function assertTableName(name: string): string {
  if (!TABLE_NAME.test(name)) throw new TesseraError("INTERNAL", "A dataset has a malformed table name.");
  return name;
}

function fromRow(row: Row): DataSource {
  if (row.kind === "dataset") {
    return {
      id: row.id,
      companyId: row.companyId,
      kind: "dataset",
      name: row.name,
      tableName: assertTableName(row.tableName ?? ""),
      rowCount: row.rowCount ?? 0,
      columns: row.columns ?? [],
      sizeBytes: row.sizeBytes ?? 0,
      createdAt: row.createdAt,
    };
  }
  return {
    id: row.id,
    companyId: row.companyId,
    kind: "origin",
    name: row.name,
    url: row.url ?? "",
    secret: row.secret ?? "",
    timeoutMs: row.timeoutMs ?? 5000,
    createdAt: row.createdAt,
  };
}

export async function insertDataSource(catalog: D1Database, source: DataSource): Promise<void> {
  const db = createDb(catalog);
  if (source.kind === "dataset") {
    const { id, companyId, kind, name, tableName, rowCount, columns, sizeBytes, createdAt } = source;
    await db.insert(dataSources).values({ id, companyId, kind, name, tableName, rowCount, columns, sizeBytes, createdAt });
  } else {
    const { id, companyId, kind, name, url, secret, timeoutMs, createdAt } = source;
    await db.insert(dataSources).values({ id, companyId, kind, name, url, secret, timeoutMs, createdAt });
  }
}

/**
 * A data source by id. With `companyId`, someone else's source is reported as
 * NOT_FOUND (not FORBIDDEN), so ids of other companies' sources can't be probed.
 */
export async function getDataSource(
  deps: { catalog: D1Database },
  id: string,
  opts: { companyId?: string } = {},
): Promise<DataSource> {
  const db = createDb(deps.catalog);
  const where = opts.companyId
    ? and(eq(dataSources.id, id), eq(dataSources.companyId, opts.companyId))
    : eq(dataSources.id, id);
  const row = await db.select().from(dataSources).where(where).get();
  if (!row) throw new TesseraError("NOT_FOUND", `No data source ${id}.`);
  return fromRow(row);
}

export async function listDataSources(deps: { catalog: D1Database }, companyId: string): Promise<DataSource[]> {
  const db = createDb(deps.catalog);
  const rows = await db
    .select()
    .from(dataSources)
    .where(eq(dataSources.companyId, companyId))
    .orderBy(desc(dataSources.createdAt));
  return rows.map(fromRow);
}

export async function deleteDataSourceRow(catalog: D1Database, id: string): Promise<void> {
  await createDb(catalog).delete(dataSources).where(eq(dataSources.id, id));
}

/** What a seller may see of a source: everything but the table name and the origin secret. */
export function publicDataSource(source: DatasetSource): Omit<DatasetSource, "tableName">;
export function publicDataSource(source: DataSource): Omit<DatasetSource, "tableName"> | Omit<OriginSource, "secret">;
export function publicDataSource(source: DataSource) {
  if (source.kind === "dataset") {
    const { tableName: _table, ...rest } = source;
    return rest;
  }
  const { secret: _secret, ...rest } = source;
  return rest;
}
