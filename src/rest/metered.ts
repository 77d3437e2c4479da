/**
 * The REST side of a metered call, shared by `GET /v1/endpoints/:id` and
 * `POST /v1/assets/:id/executions`: who calls (the key, checked first), the
 * call itself (src/metering/), and the answer with `billing`, success or
 * error. A call that fails before it reaches the product is logged for a
 * known key and never billed.
 */
import type { Context, TypedResponse } from "hono";
import type { z } from "@hono/zod-openapi";
import type { KeyOwner } from "../caches";
import type { AppEnv } from "../context";
import { errorOf, failure, unbilled, type MeteredAnswer } from "../metering/billing";
import { factsOf, failed, type Attempt } from "../metering/call";
import { meteredCaller } from "../metering/callers";
import { withPaymentTerms } from "../metering/payment";
import type { Services } from "../services";
import { invalidRequest } from "./router";

type KeyKind = "endpoint" | "company";

export async function metered(
  c: Context<AppEnv>,
  kind: KeyKind,
  productId: string,
  call: (s: Services, owner: KeyOwner, attempt: Attempt) => Promise<MeteredAnswer>,
): Promise<MeteredResponse> {
  // A HEAD request is served by the GET route and logged as the GET it is.
  const attempt = { requestId: c.get("requestId"), startedAt: Date.now(), method: c.req.method === "HEAD" ? "GET" : c.req.method };
  const s = c.var.services;
  let owner: KeyOwner | undefined;
  try {
    owner = await meteredCaller(s, c.req.raw, kind);
    return await meteredResponse(c, await call(s, owner, attempt));
  } catch (error) {
    const known = errorOf(error, attempt.requestId);
    if (!owner) return meteredResponse(c, failure(known, unbilled(attempt.requestId)));
    // A known key's call is logged even when it fails before reaching the product.
    const caller = { keyId: owner.keyId, companyId: owner.companyId, channel: "api" as const };
    const facts = factsOf(caller, attempt, { id: productId, type: null, sellerCompanyId: null });
    return meteredResponse(c, await failed(s, caller, facts, attempt, known, undefined));
  }
}

/**
 * The validation hook of a metered route: a request that fails its schema
 * (its path or query) gets the answer of any call refused before the
 * product: the key checked first, then logged and unbilled, INVALID_FILTER.
 */
export function meteredHook(kind: KeyKind, productParam: string) {
  return (result: { success: true } | { success: false; error: z.ZodError }, c: Context<AppEnv>) => {
    if (result.success) return undefined;
    const error = invalidRequest(result.error, "INVALID_FILTER");
    return metered(c, kind, c.req.param(productParam) ?? "", () => Promise.reject<MeteredAnswer>(error));
  };
}

/**
 * The status and body come from the metering code, not from the route's
 * types; test/rest/contract.test.ts checks them against the route's schemas.
 */
type MeteredResponse = Response & TypedResponse<any, any, "json">;

/** A metered answer as an HTTP response; a 402 for lack of credits carries its payment terms and challenge. */
export async function meteredResponse(c: Context<AppEnv>, metered: MeteredAnswer): Promise<MeteredResponse> {
  const answer = await withPaymentTerms(c.env, new URL(c.req.url).origin, metered);
  for (const [name, value] of Object.entries(answer.headers ?? {})) c.header(name, value);
  return c.json(answer.body as object, answer.status as 200) as MeteredResponse;
}
