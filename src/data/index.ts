/**
 * The data behind products: hosted datasets (each in a `Dataset` Durable
 * Object of its own), the declarative query spec compiled over them,
 * sellers' HTTP origins, and SVG charts. Every function takes its
 * dependencies (the database (D1), the datasets' namespace, a fetch) as arguments.
 */
export { getDataSource, listDataSources, publicDataSource } from "./sources";
export * from "./datasets";
export * from "./origins";
export * from "./query";
export { renderChart, type ChartInput } from "./charts/svg";
export type { DatasetProgress, Phase as DatasetPhase } from "./store/meta";
export type { DataDeps, DataSource, DatasetColumn, DatasetNamespace, DatasetSource, ColumnType, OriginSource } from "./types";
