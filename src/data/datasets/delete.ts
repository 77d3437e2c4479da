import { TesseraError } from "../../errors";
import { deleteDataSourceRow, getDataSource } from "../sources";
import { datasetOf } from "../store/client";
import type { DataDeps, DataSource } from "../types";
import { abortUpload } from "./upload";

/**
 * Removes a data source already fetched for its owner. An upload still
 * running is dropped by its object (its row in the database included). A ready dataset:
 * its object is told first (so if this request dies half-way the object's
 * alarm finishes the job, or undoes it), then the row in the database goes (nothing
 * resolves the source any more), then the rows. Products still pointing at
 * it are the caller's to check.
 */
export async function removeDataSource(deps: DataDeps, source: DataSource): Promise<void> {
  if (source.kind === "origin") return deleteDataSourceRow(deps.database, source.id);
  if (source.status === "loading") return abortUpload(deps, source.id);
  const stub = datasetOf(deps.datasets, source.id);
  await stub.retire();
  await deleteDataSourceRow(deps.database, source.id);
  await stub.destroy();
}

/** Removes a company's hosted dataset; someone else's is NOT_FOUND, an origin BAD_REQUEST. */
export async function deleteDataset(deps: DataDeps, input: { companyId: string; id: string }): Promise<void> {
  const source = await getDataSource(deps, input.id, { companyId: input.companyId });
  if (source.kind !== "dataset") throw new TesseraError("BAD_REQUEST", `${input.id} is not a hosted dataset.`);
  await removeDataSource(deps, source);
}
