import {
  publicDataSource,
  uploadProgress,
  type DataDeps,
  type DataSource,
  type DatasetProgress,
  type DatasetSource,
  type OriginSource,
} from "../data";
import { TesseraError } from "../errors";
import type { Services } from "../services";

/** The dependencies of src/data for this request. */
export function dataDeps(s: Pick<Services, "env" | "datasets">): DataDeps {
  return { database: s.env.DB, datasets: s.datasets };
}

/**
 * What a seller sees of a source: the public view, and while a hosted
 * dataset's upload runs, where it stands (`upload`: phase, parts, bytes,
 * rows, updatedAt), read from the dataset's object.
 */
export async function sourceView(deps: DataDeps, source: DatasetSource): Promise<DatasetView>;
export async function sourceView(deps: DataDeps, source: DataSource): Promise<DatasetView | Omit<OriginSource, "secret">>;
export async function sourceView(deps: DataDeps, source: DataSource) {
  const view = publicDataSource(source);
  if (source.kind !== "dataset" || source.status === "ready") return view;
  return { ...view, upload: await uploadProgress(deps, source) };
}

/** A hosted dataset as its seller sees it; `upload` only while it is loading (null once the upload was removed). */
export type DatasetView = DatasetSource & { upload?: DatasetProgress | null };
