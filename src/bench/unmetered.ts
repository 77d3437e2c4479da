/**
 * The bench's baseline: the same endpoint query as `GET /v1/endpoints/:id`,
 * the same key check, terms and data, with no wallet call. Only mounted with
 * BENCH=1; the billing path knows nothing of it.
 */
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { errorOf, failure, unbilled } from "../metering/billing";
import { termsFor } from "../metering/call";
import { meteredCaller } from "../metering/callers";
import { runContext, sourceOf } from "../products/context";
import { runProduct } from "../products/run";
import { meteredResponse } from "../rest/metered";

export async function unmeteredPage(c: Context<AppEnv>) {
  const requestId = c.get("requestId");
  const s = c.var.services;
  try {
    const owner = await meteredCaller(s, c.req.raw, "endpoint");
    const caller = { keyId: owner.keyId, companyId: owner.companyId, channel: "api" as const };
    const terms = await termsFor(s, caller, c.req.param("endpointId")!);
    const { page_size: pageSize, cursor, ...params } = Object.fromEntries(new URL(c.req.url).searchParams);
    const result = await runProduct(runContext(s, requestId), terms, await sourceOf(s, terms.dataSourceId), params, { pageSize, cursor });
    if (result.type !== "rows") throw new Error("not rows");
    const billing = unbilled(requestId);
    return c.json({ data: result.rows, pagination: { page_size: result.rows.length, next_cursor: result.nextCursor }, billing });
  } catch (error) {
    return meteredResponse(c, failure(errorOf(error, requestId), unbilled(requestId)));
  }
}
