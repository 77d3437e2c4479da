import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app";
import { TesseraError } from "../../errors";
import type { KeyOwner } from "../../caches";
import { errorOf, failure, unbilled } from "../../metering/billing";
import { factsOf, failed } from "../../metering/call";
import { meteredCaller } from "../../metering/callers";
import { assetExecution } from "../../metering/execution";
import { readIdempotencyKey } from "../../metering/replay";
import { buyerParams } from "../../products/schema";
import { services } from "../../services";
import { meteredResponse } from "./respond";

const body = z.object({ params: buyerParams }).strict();

/**
 * `POST /v1/assets/:assetId/executions` with a company key: runs the asset,
 * stores the result in the company's purchases, bills once on success.
 */
export async function executeAsset(c: Context<AppEnv>) {
  const attempt = { requestId: c.get("requestId"), startedAt: Date.now(), method: "POST" };
  const s = services(c.env, c.get("db"));
  let owner: KeyOwner | undefined;
  try {
    owner = await meteredCaller(s, c.req.raw, "company");
    const input = await readBody(c.req.raw);
    const answer = await assetExecution(
      s,
      { keyId: owner.keyId, companyId: owner.companyId, channel: "api" },
      { assetId: c.req.param("assetId")!, params: input.params, idempotencyKey: readIdempotencyKey(c.req.header("idempotency-key")) },
      attempt,
    );
    return meteredResponse(c, answer);
  } catch (error) {
    const known = errorOf(error, attempt.requestId);
    if (!owner) return meteredResponse(c, failure(known, unbilled(attempt.requestId)));
    // A known key's call is logged even when it fails before reaching the product.
    const caller = { keyId: owner.keyId, companyId: owner.companyId, channel: "api" as const };
    const facts = factsOf(caller, attempt, { id: c.req.param("assetId")!, type: null, sellerCompanyId: null });
    return meteredResponse(c, await failed(s, caller, facts, attempt, known, undefined));
  }
}

async function readBody(request: Request): Promise<z.infer<typeof body>> {
  const text = await request.text();
  if (!text.trim()) return { params: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TesseraError("BAD_REQUEST", "The body must be JSON: { \"params\": { ... } }.");
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) throw new TesseraError("INVALID_FILTER", `Body: ${parsed.error.issues[0]?.path.join(".") || "params"} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
