import type { ColumnType, DatasetColumn, DatasetStatus } from "../db/schema/data";
import type { Dataset } from "./store/dataset";

export type { ColumnType, DatasetColumn, DatasetStatus };

/** What the data modules need: the database (where `data_sources` lives) and the hosted datasets' objects. */
export type DataDeps = { database: D1Database; datasets: DatasetNamespace };

/** One `Dataset` Durable Object per hosted dataset, named by its data source id. */
export type DatasetNamespace = DurableObjectNamespace<Dataset>;

export type DatasetSource = {
  id: string;
  companyId: string;
  kind: "dataset";
  name: string;
  /** `loading` while the upload runs (no rows to query yet); `ready` from its end on, and then never changes. */
  status: DatasetStatus;
  rowCount: number;
  columns: DatasetColumn[];
  sizeBytes: number;
  createdAt: number;
};

export type OriginSource = {
  id: string;
  companyId: string;
  kind: "origin";
  name: string;
  url: string;
  /**
   * The HMAC key the seller uses to verify `x-tessera-signature`, as stored:
   * sealed (src/crypto.ts), opened only to sign a call. Never shown to buyers.
   */
  secret: string;
  timeoutMs: number;
  createdAt: number;
};

export type DataSource = DatasetSource | OriginSource;

/** The SQL identifier of a dataset column: built from its position only. */
export function sqlColumn(position: number): string {
  if (!Number.isInteger(position) || position < 0) throw new Error(`bad column position ${position}`);
  return `c_${position}`;
}
