import type { Context } from "hono";
import type { AppEnv } from "../../app";
import type { KeyOwner } from "../../caches";
import { errorOf, failure, unbilled } from "../../metering/billing";
import { factsOf, failed } from "../../metering/call";
import { meteredCaller } from "../../metering/callers";
import { endpointPage } from "../../metering/page";
import { readIdempotencyKey } from "../../metering/replay";
import { services } from "../../services";
import { meteredResponse } from "./respond";

/**
 * `GET /v1/endpoints/:endpointId` with the buyer's endpoint key: one page of
 * rows. Every answer, success or error, carries `billing`.
 */
export async function getEndpoint(c: Context<AppEnv>) {
  const attempt = { requestId: c.get("requestId"), startedAt: Date.now(), method: "GET" };
  const s = services(c.env, c.get("db"));
  let owner: KeyOwner | undefined;
  try {
    owner = await meteredCaller(s, c.req.raw, "endpoint");
    const { page_size: pageSize, cursor, ...params } = queryParams(c.req.url);
    const answer = await endpointPage(
      s,
      { keyId: owner.keyId, companyId: owner.companyId, endpointId: owner.endpointId!, channel: "api" },
      {
        endpointId: c.req.param("endpointId")!,
        params,
        pageSize: Array.isArray(pageSize) ? pageSize.join() : pageSize,
        cursor: Array.isArray(cursor) ? cursor.join() : cursor,
        idempotencyKey: readIdempotencyKey(c.req.header("idempotency-key")),
      },
      attempt,
    );
    return meteredResponse(c, answer);
  } catch (error) {
    const known = errorOf(error, attempt.requestId);
    if (!owner) return meteredResponse(c, failure(known, unbilled(attempt.requestId)));
    // A known key's call is logged even when it fails before reaching the product.
    const caller = { keyId: owner.keyId, companyId: owner.companyId, channel: "api" as const };
    const facts = factsOf(caller, attempt, { id: c.req.param("endpointId")!, type: null, sellerCompanyId: null });
    return meteredResponse(c, await failed(s, caller, facts, attempt, known, undefined));
  }
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
