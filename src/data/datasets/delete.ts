import { TesseraError } from "../../errors";
import { assertTableName, deleteDataSourceRow, getDataSource } from "../catalog";
import type { DataDeps } from "../types";

/**
 * Removes a company's data source: the catalog row first (so nothing can
 * resolve it any more), then, for a dataset, its table. Someone else's source
 * is NOT_FOUND. Products still pointing at it are the caller's to check.
 */
export async function deleteDataSource(deps: DataDeps, input: { companyId: string; id: string }): Promise<void> {
  const source = await getDataSource(deps, input.id, { companyId: input.companyId });
  await deleteDataSourceRow(deps.catalog, source.id);
  if (source.kind === "dataset") {
    await deps.datasets.prepare(`DROP TABLE IF EXISTS ${assertTableName(source.tableName)}`).run();
  }
}

/** `deleteDataSource`, refusing anything but a hosted dataset. */
export async function deleteDataset(deps: DataDeps, input: { companyId: string; id: string }): Promise<void> {
  const source = await getDataSource(deps, input.id, { companyId: input.companyId });
  if (source.kind !== "dataset") throw new TesseraError("BAD_REQUEST", `${input.id} is not a hosted dataset.`);
  await deleteDataSource(deps, input);
}
