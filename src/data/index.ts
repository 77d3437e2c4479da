/**
 * The data behind products: hosted datasets (tables in the DATASETS D1
 * database), the declarative query spec compiled over them, sellers' HTTP
 * origins, and SVG charts. Every function takes its dependencies (D1
 * databases, a fetch) as arguments.
 */
export { getDataSource, listDataSources, publicDataSource } from "./catalog";
export * from "./datasets";
export * from "./origins";
export * from "./query";
export { renderChart, type ChartInput } from "./charts/svg";
export type { DataDeps, DataSource, DatasetColumn, DatasetSource, ColumnType, OriginSource } from "./types";
