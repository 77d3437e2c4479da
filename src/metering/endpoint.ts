import type { Db } from "../db";
import { runContext, sourceOf } from "../products/context";
import { runProduct } from "../products/run";
import { currentRate } from "../rates";
import type { EndpointAccess } from "./access";
import { abandon, claim, complete, replayed, type IdempotencyScope } from "./idempotency";
import { errorOf, meter, MeteredError, sellable, unbilled, type Billing } from "./meter";

export interface PageRequest {
  params: Record<string, string | string[]>;
  pageSize?: string | number | undefined;
  cursor?: string | undefined;
  idempotencyKey?: string | undefined;
  /** Bench only: the same work with no wallet. */
  unmetered?: boolean;
}

export interface PageAnswer {
  status: number;
  body: PageBody | ErrorBody;
  billing: Billing;
  rows: number | null;
  errorCode: string | null;
}

export interface PageBody {
  data: Record<string, unknown>[];
  pagination: { page_size: number; next_cursor: string | null };
  billing: Billing;
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string };
  billing: Billing;
}

/**
 * One page of an endpoint for a buyer who may call it: billed once when it
 * succeeds (zero rows included), never when it fails. Shared by the REST
 * route and the tRPC fetch so both bill by the same rules.
 */
export async function serveEndpointPage(env: Env, db: Db, access: EndpointAccess, request: PageRequest, requestId: string): Promise<PageAnswer> {
  const product = access.product;
  let scope: IdempotencyScope | undefined;
  let billing = unbilled(requestId);
  try {
    const [source, rate] = await Promise.all([sourceOf(env, product.dataSourceId), currentRate(db)]);
    const work = () =>
      runProduct(runContext(env, requestId), product, source, request.params, { pageSize: request.pageSize, cursor: request.cursor });

    let free = request.unmetered === true;
    if (request.idempotencyKey) {
      const query = new URLSearchParams({ page_size: String(request.pageSize ?? ""), cursor: request.cursor ?? "" });
      for (const [key, value] of Object.entries(request.params).sort()) query.append(key, String(value));
      scope = {
        keyId: access.keyId,
        idempotencyKey: request.idempotencyKey,
        requestHash: `${product.id}?${query}`,
        requestId,
        buyerCompanyId: access.buyerCompanyId,
      };
      const claimed = await claim(db, env, scope);
      if (claimed.kind === "replay") {
        scope = undefined;
        const body = replayed<PageBody>(claimed.body);
        return { status: claimed.status, body, billing: { ...billing, replayed: true }, rows: body.data.length, errorCode: null };
      }
      free ||= claimed.kind === "paid";
    }

    const run = free
      ? { result: await work(), billing }
      : await meter({ env, buyerCompanyId: access.buyerCompanyId, product: sellable(product), rate, requestId, settle: "charge" }, work);
    billing = run.billing;
    if (run.result.type !== "rows") throw new Error(`endpoint ${product.id} did not return rows`);
    const body: PageBody = {
      data: run.result.rows,
      pagination: { page_size: run.result.rows.length, next_cursor: run.result.nextCursor },
      billing,
    };
    if (scope) await complete(db, scope, 200, JSON.stringify(body));
    return { status: 200, body, billing, rows: body.data.length, errorCode: null };
  } catch (error) {
    if (error instanceof MeteredError) billing = error.billing;
    if (scope) await abandon(db, scope);
    return failed(error, requestId, billing);
  }
}

/** The answer to a failed call; unless told otherwise, billed as the error says (nothing, for a plain error). */
export function failed(error: unknown, requestId: string, billing: Billing = error instanceof MeteredError ? error.billing : unbilled(requestId)): PageAnswer {
  const failure = errorOf(error);
  if (failure.code === "INTERNAL") console.error(requestId, error instanceof MeteredError ? error.original : error);
  return {
    status: failure.status,
    body: { error: { code: failure.code, message: failure.message, requestId }, billing },
    billing,
    rows: null,
    errorCode: failure.code,
  };
}
