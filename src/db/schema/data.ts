import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const dataSourceKinds = ["dataset", "origin"] as const;
export type DataSourceKind = (typeof dataSourceKinds)[number];

export const columnTypes = ["integer", "real", "text", "boolean", "date"] as const;

/** A hosted dataset is `loading` while its upload runs and `ready` (immutable from then on) once it finished. */
export const datasetStatuses = ["loading", "ready"] as const;
export type DatasetStatus = (typeof datasetStatuses)[number];
export type ColumnType = (typeof columnTypes)[number];

/**
 * One column of a hosted dataset. `name` is the safe public name used in query
 * specs and in rows returned to buyers; `label` is the header the seller
 * uploaded. In SQL the column is always `c_<position>`, so no seller text ever
 * becomes an identifier.
 */
export type DatasetColumn = {
  name: string;
  label: string;
  type: ColumnType;
  /** The seller asked for an index on it. */
  filterable: boolean;
};

/**
 * Where a product's data comes from: a hosted dataset (its rows live in a
 * `Dataset` Durable Object of its own, named by the source id) or the
 * seller's own HTTPS API. Only the fields of its kind are set.
 */
export const dataSources = sqliteTable(
  "data_sources",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull(),
    kind: text("kind", { enum: dataSourceKinds }).notNull(),
    name: text("name").notNull(),
    // Hosted datasets. `size_bytes` counts the bytes received so far while loading (the seller's quota).
    status: text("status", { enum: datasetStatuses }),
    rowCount: integer("row_count"),
    columns: text("columns", { mode: "json" }).$type<DatasetColumn[]>(),
    sizeBytes: integer("size_bytes"),
    // HTTP origins
    url: text("url"),
    /** HMAC key for `x-tessera-signature`; shown to the seller once, kept to sign each call. */
    secret: text("secret"),
    timeoutMs: integer("timeout_ms"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("data_sources_company").on(t.companyId, t.createdAt)],
);
