import { and, desc, eq, ne, sql } from "drizzle-orm";
import { toHex } from "../crypto";
import { createDb } from "../db";
import { dataSources } from "../db/schema/data";
import { TesseraError } from "../errors";
import { pastKey } from "../paging";
import type { DataSource, DatasetColumn, DatasetStatus } from "./types";

type Row = typeof dataSources.$inferSelect;

/** 24 random hex digits: the data source id is `src_<hex>` (a hosted dataset's object is named by it). */
export function newSourceHex(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(12)));
}

function fromRow(row: Row): DataSource {
  if (row.kind === "dataset") {
    return {
      id: row.id,
      companyId: row.companyId,
      kind: "dataset",
      name: row.name,
      status: row.status ?? "ready",
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
    const { id, companyId, kind, name, status, rowCount, columns, sizeBytes, createdAt } = source;
    await db.insert(dataSources).values({ id, companyId, kind, name, status, rowCount, columns, sizeBytes, createdAt });
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

/** A company's sources, newest first; a page of them with `page` (after the last one's [createdAt, id]). */
export async function listDataSources(
  deps: { catalog: D1Database },
  companyId: string,
  page?: { limit: number; after?: readonly [number, string] | undefined },
): Promise<DataSource[]> {
  const db = createDb(deps.catalog);
  const query = db
    .select()
    .from(dataSources)
    .where(and(eq(dataSources.companyId, companyId), pastKey("desc", [dataSources.createdAt, dataSources.id], page?.after)))
    .orderBy(desc(dataSources.createdAt), desc(dataSources.id));
  const rows = await (page ? query.limit(page.limit) : query);
  return rows.map(fromRow);
}

export async function deleteDataSourceRow(catalog: D1Database, id: string): Promise<void> {
  await createDb(catalog).delete(dataSources).where(eq(dataSources.id, id));
}

/** A hosted dataset's catalog status, or null when it has no row (never made, swept or deleted). */
export async function catalogStatus(catalog: D1Database, id: string): Promise<DatasetStatus | null> {
  const row = await createDb(catalog).select({ status: dataSources.status }).from(dataSources).where(eq(dataSources.id, id)).get();
  return row ? (row.status ?? "ready") : null;
}

/** The end of an upload: the dataset's shape, fixed from now on. False if the row is gone or was already ready. */
export async function markDatasetReady(
  catalog: D1Database,
  id: string,
  shape: { columns: DatasetColumn[]; rowCount: number; sizeBytes: number },
): Promise<boolean> {
  const result = await createDb(catalog)
    .update(dataSources)
    .set({ status: "ready", ...shape })
    .where(and(eq(dataSources.id, id), eq(dataSources.status, "loading")));
  return result.meta.changes > 0;
}

/** Bytes received so far by an upload still running, so the seller's quota counts them. */
export async function recordUploadBytes(catalog: D1Database, id: string, sizeBytes: number): Promise<void> {
  await createDb(catalog)
    .update(dataSources)
    .set({ sizeBytes })
    .where(and(eq(dataSources.id, id), eq(dataSources.status, "loading")));
}

/** Removes the row of an upload that never finished; a ready dataset's row is left alone. */
export async function deleteLoadingDataset(catalog: D1Database, id: string): Promise<void> {
  await createDb(catalog)
    .delete(dataSources)
    .where(and(eq(dataSources.id, id), eq(dataSources.status, "loading")));
}

/** What a company's hosted datasets (uploads running included) take of its quota, in uploaded bytes. */
export async function datasetBytesUsed(catalog: D1Database, companyId: string, exceptId = ""): Promise<number> {
  const row = await createDb(catalog)
    .select({ bytes: sql<number>`coalesce(sum(${dataSources.sizeBytes}), 0)` })
    .from(dataSources)
    .where(and(eq(dataSources.companyId, companyId), eq(dataSources.kind, "dataset"), ne(dataSources.id, exceptId)))
    .get();
  return row?.bytes ?? 0;
}

/** What a seller may see of a source: everything but the origin secret. */
export function publicDataSource(source: DataSource) {
  if (source.kind === "dataset") return { ...source };
  const { secret: _secret, ...rest } = source;
  return rest;
}
