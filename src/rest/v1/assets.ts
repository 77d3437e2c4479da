import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app";
import { authenticate, requireScope, type Caller } from "../../auth/authenticate";
import { TesseraError } from "../../errors";
import { failed } from "../../metering/endpoint";
import { abandon, claim, complete, readIdempotencyKey, replayed, type IdempotencyScope } from "../../metering/idempotency";
import { logCall } from "../../metering/log";
import { MeteredError, unbilled } from "../../metering/meter";
import { processAsset } from "../../products/process";
import { buyerParams } from "../../products/schema";
import { getVisibleProduct, type Product } from "../../products/service";

const body = z.object({ params: buyerParams }).strict();

/**
 * `POST /v1/assets/:assetId/executions` with a company key: runs the asset,
 * stores the result in the company's purchases, bills once on success.
 */
export async function executeAsset(c: Context<AppEnv>) {
  const startedAt = Date.now();
  const db = c.get("db");
  const requestId = c.get("requestId");
  const assetId = c.req.param("assetId")!;
  let caller: Caller | undefined;
  let product: Product | undefined;
  let scope: IdempotencyScope | undefined;
  let billing = unbilled(requestId);
  let status = 200;
  let errorCode: string | null = null;
  let response: unknown;
  try {
    caller = await authenticate(db, c.req.header("x-api-key"));
    requireScope(caller, "full");
    const input = await readBody(c.req.raw);
    ({ product } = await getVisibleProduct(db, caller.companyId, assetId));
    const idempotencyKey = readIdempotencyKey(c.req.header("idempotency-key"));
    if (idempotencyKey) {
      scope = {
        keyId: caller.keyId,
        idempotencyKey,
        requestHash: `${assetId}:${JSON.stringify(input.params)}`,
        requestId,
        buyerCompanyId: caller.companyId,
      };
      const claimed = await claim(db, c.env, scope);
      if (claimed.kind !== "new") {
        // A replay, or an earlier attempt that billed but could not answer: the stored purchase is the answer.
        scope = undefined;
        if (claimed.kind === "paid") throw new TesseraError("CONFLICT", "This execution was billed; find its result in your purchases.");
        return c.json(replayed(claimed.body), 200);
      }
    }
    const run = await processAsset(c.env, db, { buyerCompanyId: caller.companyId, product, params: input.params, requestId });
    billing = run.billing;
    response = { data: { purchase_id: run.purchase.id, product_id: product.id, result: run.purchase.result }, billing };
    if (scope) await complete(db, scope, 200, JSON.stringify(response));
    return c.json(response, 200);
  } catch (error) {
    if (error instanceof MeteredError) billing = error.billing;
    if (scope) await abandon(db, scope);
    const answer = failed(error, requestId, billing);
    status = answer.status;
    errorCode = answer.errorCode;
    return c.json(answer.body, status as 400);
  } finally {
    c.executionCtx.waitUntil(
      logCall(db, {
        keyId: caller?.keyId ?? null,
        companyId: caller?.companyId ?? null,
        productId: product?.id ?? assetId,
        sellerCompanyId: product?.sellerCompanyId ?? null,
        method: "POST",
        status,
        errorCode,
        rows: null,
        billing,
        startedAt,
      }),
    );
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
