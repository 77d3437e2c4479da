import {
  callOrigin,
  originParams,
  parseSpec,
  resolveSpec,
  runCalculation,
  runRows,
  runVisualization,
  type Calculation,
  type DataSource,
  type OriginFetch,
  type QueryContext,
  type QuerySpec,
  type Row,
  type Visualization,
} from "../data";
import type { SecretsEnv } from "../crypto";
import { fieldError, TesseraError } from "../errors";
import type { AssetKind, ProductType } from "./service";

/** What running a product gives: one page of rows, one value, or one chart. */
export type ProductResult =
  | { type: "rows"; rows: Row[] | Record<string, unknown>[]; nextCursor: string | null }
  | { type: "calculation"; value: Calculation["value"]; kind: Calculation["kind"] }
  | ({ type: "visualization" } & Visualization);

/**
 * What running a product needs (built by `runContext` in context.ts): the
 * datasets' objects, the cursor HMAC key and the page cache (QueryContext),
 * and for HTTP origins a fetch. Nothing here reads D1.
 */
export interface RunContext extends QueryContext {
  fetch: OriginFetch;
  requestId: string;
  allowInsecureOrigins: boolean;
  /** Opens an origin's sealed signing secret. */
  secrets: SecretsEnv;
}

export interface RunProduct {
  /** The endpoint's id: its cursors are bound to it. */
  id: string;
  type: ProductType;
  assetKind: AssetKind | null;
  spec: unknown;
}

/**
 * Checks a seller's spec against the product's shape and its data source:
 * endpoints return rows, calculations one aggregate, visualizations an
 * aggregate per group. Throws BAD_REQUEST naming the problem.
 */
export function checkProductSpec(type: ProductType, assetKind: AssetKind | null, source: DataSource, input: unknown): QuerySpec {
  if (source.kind === "dataset" && source.status !== "ready") {
    throw new TesseraError("CONFLICT", `${source.id} is still uploading: make products over it once the upload is complete.`);
  }
  try {
    return checkSpecShape(type === "endpoint" ? "endpoint" : assetKind!, source, input);
  } catch (error) {
    // A spec the data or the shape refuses is a refusal of the spec field, so a form shows it there.
    if (error instanceof TesseraError && error.code === "BAD_REQUEST" && !error.details) throw fieldError("BAD_REQUEST", "spec", error.message);
    throw error;
  }
}

function checkSpecShape(shape: "endpoint" | AssetKind, source: DataSource, input: unknown): QuerySpec {
  const spec = source.kind === "dataset" ? resolveSpec(source, input as QuerySpec).spec : parseSpec(input);
  if (shape === "endpoint" && spec.aggregate) throw badSpec("an endpoint returns rows; remove aggregate.");
  if (shape !== "endpoint" && source.kind === "dataset" && !spec.aggregate) throw badSpec(`a ${shape} needs an aggregate.`);
  if (shape === "calculation" && spec.aggregate?.groupBy) throw badSpec("a calculation is one value; remove aggregate.groupBy.");
  if (shape === "visualization" && source.kind === "dataset" && !spec.aggregate?.groupBy) throw badSpec("a visualization needs aggregate.groupBy.");
  if (shape === "visualization" && source.kind === "origin") throw badSpec("a visualization needs a hosted dataset.");
  if (source.kind === "origin") originParams(spec, {}); // checks each filter has a type
  return spec;
}

/** Runs a product once with the buyer's parameters. Failures throw; nothing here bills. */
export async function runProduct(
  ctx: RunContext,
  product: RunProduct,
  source: DataSource,
  params: Record<string, unknown>,
  page: { pageSize?: number | string; cursor?: string | null } = {},
): Promise<ProductResult> {
  const spec = product.spec as QuerySpec;
  if (product.type === "endpoint") {
    if (source.kind === "dataset") return { type: "rows", ...(await runRows(ctx, source, spec, params, { ...page, endpointId: product.id })) };
    const answer = await callOrigin(ctx.fetch, source, originParams(spec, params), {
      requestId: ctx.requestId,
      expect: "rows",
      cursor: page.cursor ?? null,
      pageSize: page.pageSize === undefined ? undefined : Number(page.pageSize),
      allowInsecureOrigins: ctx.allowInsecureOrigins,
      secrets: ctx.secrets,
    });
    return { type: "rows", ...answer };
  }
  if (product.assetKind === "visualization") {
    if (source.kind !== "dataset") throw badSpec("a visualization needs a hosted dataset.");
    return { type: "visualization", ...(await runVisualization(ctx, source, spec, params)) };
  }
  if (source.kind === "dataset") return { type: "calculation", ...(await runCalculation(ctx, source, spec, params)) };
  const answer = await callOrigin(ctx.fetch, source, originParams(spec, params), {
    requestId: ctx.requestId,
    expect: "value",
    allowInsecureOrigins: ctx.allowInsecureOrigins,
    secrets: ctx.secrets,
  });
  return { type: "calculation", ...answer };
}

function badSpec(message: string): TesseraError {
  return new TesseraError("BAD_REQUEST", `Query spec: ${message}`);
}
