import { createRoute, z } from "@hono/zod-openapi";
import { TesseraError } from "../../errors";
import { assetExecution } from "../../metering/execution";
import { readIdempotencyKey } from "../../metering/replay";
import { buyerParams } from "../../products/schema";
import { metered, meteredHook } from "../metered";
import { restRouter } from "../router";
import { billing, json, meteredErrorResponses } from "../schemas";
import { idempotencyKeyHeader, meteredErrorMeanings } from "./shared";

const body = z
  .object({ params: buyerParams.openapi({ description: "The asset's declared parameters by name.", example: { region: "EU" } }) })
  .strict();

const calculation = z
  .object({
    type: z.literal("calculation"),
    value: z.union([z.number(), z.string(), z.null()]),
    kind: z.enum(["number", "string", "percentage"]),
  })
  .openapi("Calculation", { description: "A calculation asset's one value." });

const visualization = z
  .object({
    type: z.literal("visualization"),
    chart: z.object({
      type: z.enum(["bar", "line"]),
      title: z.string(),
      points: z.array(z.object({ label: z.string(), value: z.number().nullable() })),
    }),
    svg: z.string().openapi({ description: "A complete <svg> document any client can show as is." }),
  })
  .openapi("Visualization", { description: "A visualization asset's chart: its data and an SVG." });

export const assetExecutionBody = z
  .object({
    data: z.object({
      purchase_id: z.string().openapi({ description: "The stored result: read it again later at no charge." }),
      product_id: z.string(),
      result: z.discriminatedUnion("type", [calculation, visualization]),
    }),
    billing,
  })
  .openapi("AssetExecution");

export const executeAsset = createRoute({
  method: "post",
  path: "/assets/{assetId}/executions",
  operationId: "executeAsset",
  summary: "Run an asset",
  description:
    "Computes the asset with your parameters, stores the result in your purchases, and bills its price once. A failure stores nothing and bills nothing. " +
    "Needs a full-scope company key (a read-only key is FORBIDDEN). The body is optional and read as JSON whatever its Content-Type.",
  tags: ["Buying"],
  security: [{ CompanyKey: [] }],
  request: {
    params: z.object({ assetId: z.string().openapi({ description: "The asset's product id." }) }),
    headers: z.object({ "idempotency-key": idempotencyKeyHeader }),
  },
  responses: {
    200: json("The result, billed.", assetExecutionBody),
    ...meteredErrorResponses({
      ...meteredErrorMeanings,
      INVALID_FILTER: "a parameter is missing, unknown or of the wrong type (the message names it).",
      BAD_REQUEST: "the body is not JSON, or a malformed Idempotency-Key.",
      UNAUTHORIZED: "no key, or not a company key.",
      FORBIDDEN: "a read-only key.",
      NOT_FOUND: "no such asset, or one you cannot run.",
    }),
  },
});

/**
 * The body is read by the handler, after the key check, as it always was:
 * clients send it without a Content-Type, or none at all. The document still
 * describes it, from the same schema.
 */
const documented = { ...executeAsset, request: { ...executeAsset.request, body: { required: false, content: { "application/json": { schema: body } } } } };

/** What the route validates: the path only. The Idempotency-Key is read by the handler (`readIdempotencyKey`, the same rule and message). */
const validated = { ...executeAsset, request: { params: executeAsset.request.params }, hide: true };

/**
 * `POST /v1/assets/:assetId/executions` with a company key: runs the asset,
 * stores the result in the company's purchases, bills once on success.
 */
export const assets = restRouter().openapi(
  validated,
  (c) =>
    metered(c, "company", c.req.valid("param").assetId, async (s, owner, attempt) => {
      const input = await readBody(c.req.raw);
      return assetExecution(
        s,
        { keyId: owner.keyId, companyId: owner.companyId, channel: "api" },
        { assetId: c.req.valid("param").assetId, params: input.params, idempotencyKey: readIdempotencyKey(c.req.header("idempotency-key")) },
        attempt,
      );
    }),
  meteredHook("company", "assetId"),
);
assets.openAPIRegistry.registerPath(documented);

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
