import { TesseraError } from "../../errors";
import { assertTableName, deleteDataSourceRow, getDataSource } from "../catalog";
import type { DataDeps, DataSource } from "../types";

/**
 * Removes a data source already fetched for its owner: the catalog row first
 * (so nothing can resolve it any more), then, for a dataset, its table.
 * Products still pointing at it are the caller's to check.
 */
export async function removeDataSource(deps: DataDeps, source: DataSource): Promise<void> {
  await deleteDataSourceRow(deps.catalog, source.id);
  if (source.kind === "dataset") {
    await deps.datasets.prepare(`DROP TABLE IF EXISTS ${assertTableName(source.tableName)}`).run();
  }
}

/** Removes a company's hosted dataset; someone else's is NOT_FOUND, an origin BAD_REQUEST. */
export async function deleteDataset(deps: DataDeps, input: { companyId: string; id: string }): Promise<void> {
  const source = await getDataSource(deps, input.id, { companyId: input.companyId });
  if (source.kind !== "dataset") throw new TesseraError("BAD_REQUEST", `${input.id} is not a hosted dataset.`);
  await removeDataSource(deps, source);
}
