import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { companies } from "../db/schema";
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

/**
 * Data sources exist to back products, so only a seller company may add one.
 * A buyer-only company is told how to become a seller instead of a bare refusal.
 */
export async function requireSeller(db: Db, companyId: string): Promise<void> {
  const company = await db.query.companies.findFirst({ where: eq(companies.id, companyId), columns: { isSeller: true } });
  if (!company?.isSeller) {
    throw new TesseraError(
      "FORBIDDEN",
      "Only seller companies can add data sources. Turn on selling with companies.update({ isSeller: true }) first.",
    );
  }
}

/** The dependencies of src/data for this request. */
export function dataDeps(env: Env): DataDeps {
  return { catalog: env.DB, datasets: env.DATASET };
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
