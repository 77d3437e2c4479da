import type { Context } from "hono";
import type { AppEnv } from "../../app";
import { endpointAccess, type EndpointAccess } from "../../metering/access";
import { failed, serveEndpointPage, type PageAnswer } from "../../metering/endpoint";
import { readIdempotencyKey } from "../../metering/idempotency";
import { logCall } from "../../metering/log";

/**
 * `GET /v1/endpoints/:endpointId` with the buyer's endpoint key: one page of
 * rows. Every answer, success or error, carries `billing`.
 */
export async function getEndpoint(c: Context<AppEnv>, opts: { unmetered?: boolean } = {}) {
  const startedAt = Date.now();
  const db = c.get("db");
  const requestId = c.get("requestId");
  const endpointId = c.req.param("endpointId")!;
  let access: EndpointAccess | undefined;
  let answer: PageAnswer;
  try {
    access = await endpointAccess(db, c.req.header("x-api-key"), endpointId);
    const { page_size: pageSize, cursor, ...params } = queryParams(c.req.url);
    answer = await serveEndpointPage(
      c.env,
      db,
      access,
      {
        params,
        pageSize: Array.isArray(pageSize) ? pageSize.join() : pageSize,
        cursor: Array.isArray(cursor) ? cursor.join() : cursor,
        idempotencyKey: readIdempotencyKey(c.req.header("idempotency-key")),
        unmetered: opts.unmetered,
      },
      requestId,
    );
  } catch (error) {
    answer = failed(error, requestId);
  }
  c.executionCtx.waitUntil(
    logCall(db, {
      keyId: access?.keyId ?? null,
      companyId: access?.buyerCompanyId ?? null,
      productId: access?.product.id ?? endpointId,
      sellerCompanyId: access?.product.sellerCompanyId ?? null,
      method: "GET",
      status: answer.status,
      errorCode: answer.errorCode,
      rows: answer.rows,
      billing: answer.billing,
      startedAt,
    }),
  );
  return c.json(answer.body, answer.status as 200);
}

/** Query parameters, repeated ones as lists (`region=EU&region=US`). */
function queryParams(url: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(url).searchParams) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}
