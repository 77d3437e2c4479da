export { type PageCache } from "./cache";
export { compileAggregate, compileRows, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type CompiledQuery, type CompiledRows, type PageOptions } from "./compile";
export { indexForSpec, planIndexes } from "./indexes";
export type { PageQuery, PageResult } from "./page";
export { resolveParams, type BoundValue, type DeclaredParam } from "./params";
export { resolveSpec } from "./resolve";
export { runCalculation, runRows, runVisualization, type Calculation, type QueryContext, type Row, type Visualization } from "./run";
export { filterSpec, operators, parseSpec, querySpec, reservedParams, type FilterSpec, type QuerySpec, type QuerySpecInput } from "./schema";
