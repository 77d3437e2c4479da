import { Hono } from "hono";
import type { AppEnv } from "../../app";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../data";
import { css, renderDocs } from "./docs";
import { components } from "./openapi-components";
import { datasetPaths } from "./openapi-datasets";
import type { OpenApiDocument, Response } from "./openapi-types";

/**
 * The OpenAPI 3.1 description of Tessera's public REST surface, and its
 * human-readable rendering: `GET /v1/openapi.json`, `GET /v1/docs`.
 * tRPC (`/trpc/*`) is not described here: its typed client is its contract.
 */
export const openapiRest = new Hono<AppEnv>();

openapiRest.get("/openapi.json", (c) => c.json(openApiDocument(new URL(c.req.url).origin)));

// Narrower than the rest of the site (src/security-headers.ts): the page has no
// script, fetches nothing, and its one inline stylesheet is allowed by hash.
let docsPolicy: Promise<string> | undefined;
function docsContentSecurityPolicy(): Promise<string> {
  docsPolicy ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(css)).then((digest) => {
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  });
  return docsPolicy;
}

openapiRest.get("/docs", async (c) => {
  c.header("content-security-policy", await docsContentSecurityPolicy());
  return c.html(renderDocs(openApiDocument(new URL(c.req.url).origin)));
});

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (name: string, example: unknown): Response["content"] => ({ "application/json": { schema: schema(name), example } });

/** The errors every metered route can answer with; all carry billing.billed = false. */
const meteredErrors = {
  "400": response("MeteredBadRequest"),
  "401": response("MeteredUnauthorized"),
  "402": response("InsufficientCredits"),
  "403": response("MeteredForbidden"),
  "404": response("MeteredNotFound"),
  "409": response("MeteredConflict"),
  "502": response("OriginError"),
  "504": response("OriginTimeout"),
};

const billingExample = { billed: true, credits: 0.02, request_id: "req_3Xk9TqP2vL8mZr4wYb6n", price_usd: 0.01, price_credits: 0.02 };

export function openApiDocument(origin: string): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: {
      title: "Tessera REST API",
      version: "1.0.0",
      description:
        "Buy data with prepaid credits: fetch pages of an endpoint, run an asset, read your credits and earnings. " +
        "Every metered answer carries billing; a failed request is never billed. " +
        "Errors have the same shape everywhere: { error: { code, message, requestId } }.",
    },
    servers: [{ url: origin }],
    tags: [
      { name: "Buying", description: "Metered calls that spend credits." },
      { name: "Selling", description: "What sellers put behind their products." },
      { name: "Company", description: "Usage and earnings of your own company." },
      { name: "Webhooks", description: "Called by Stripe, not by you." },
    ],
    paths: {
      "/v1/endpoints/{endpointId}": {
        get: {
          operationId: "fetchEndpoint",
          summary: "Fetch a page of an endpoint",
          description:
            "One page of rows. A successful request is billed once at the endpoint's price, a page with zero rows included; any error is free. " +
            "Follow pagination.next_cursor until it is null.",
          tags: ["Buying"],
          security: [{ EndpointKey: [] }],
          parameters: [
            { name: "endpointId", in: "path", required: true, description: "The endpoint's product id.", schema: { type: "string" } },
            {
              name: "page_size",
              in: "query",
              description: "Rows per page.",
              schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
            },
            { name: "cursor", in: "query", description: "pagination.next_cursor of the previous page. Only valid with the same filters and sort.", schema: { type: "string" } },
            {
              name: "sort",
              in: "query",
              description: "A column the endpoint allows sorting by: name for ascending, -name for descending.",
              schema: { type: "string" },
              example: "-signed_up",
            },
            {
              name: "filters",
              in: "query",
              style: "form",
              explode: true,
              description:
                "The endpoint's declared filters, each as its own query parameter (region=EU&since=2024-01-01); repeat one to pass a list " +
                "(region=EU&region=US). The product's page lists them with their types; an unknown or ill-typed one is INVALID_FILTER.",
              schema: { type: "object", additionalProperties: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] } },
            },
            { $ref: "#/components/parameters/IdempotencyKey" },
          ],
          responses: {
            "200": {
              description: "A page of rows, billed.",
              content: json("EndpointPage", {
                data: [{ region: "EU", customers: 1204, churn_rate: 0.031 }],
                pagination: { page_size: 1, next_cursor: "eyJvIjoxfQ.k3Jd" },
                billing: billingExample,
              }),
            },
            ...meteredErrors,
          },
          "x-example-curl": `curl "${origin}/v1/endpoints/prd_9f8e7d6c?region=EU&page_size=100" -H "x-api-key: $ENDPOINT_KEY"`,
        },
      },
      "/v1/assets/{assetId}/executions": {
        post: {
          operationId: "executeAsset",
          summary: "Run an asset",
          description:
            "Computes the asset with your parameters, stores the result as a purchase, and bills its price once. A failure stores nothing and bills nothing. " +
            "Needs a full-scope company key (a read-only key is FORBIDDEN). The body is optional; a malformed params object is INVALID_FILTER.",
          tags: ["Buying"],
          security: [{ CompanyKey: [] }],
          parameters: [
            { name: "assetId", in: "path", required: true, description: "The asset's product id.", schema: { type: "string" } },
            { $ref: "#/components/parameters/IdempotencyKey" },
          ],
          requestBody: {
            required: false,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    params: {
                      type: "object",
                      description: "The asset's declared parameters by name.",
                      additionalProperties: { type: ["string", "number", "boolean", "array"] },
                    },
                  },
                },
                example: { params: { region: "EU" } },
              },
            },
          },
          responses: {
            "200": {
              description: "The result, billed.",
              content: json("AssetExecution", {
                data: { purchase_id: "pur_3Xk9TqP2vL8mZr4wYb6n", product_id: "prd_1a2b3c4d", result: { type: "calculation", value: 0.031, kind: "percentage" } },
                billing: billingExample,
              }),
            },
            ...meteredErrors,
            "400": response("AssetBadRequest"),
          },
          "x-example-curl": `curl -X POST "${origin}/v1/assets/prd_1a2b3c4d/executions" -H "x-api-key: $TESSERA_KEY" -H "content-type: application/json" -d '{"params":{"region":"EU"}}'`,
        },
      },
      ...datasetPaths(origin),
      "/companies/{companyId}/credits": {
        get: {
          operationId: "getCredits",
          summary: "Your credits and usage",
          tags: ["Company"],
          security: [{ CompanyKey: [] }],
          parameters: [{ $ref: "#/components/parameters/CompanyId" }],
          responses: {
            "200": {
              description: "The wallet and 30 days of usage.",
              content: json("Credits", {
                data: {
                  balance_credits: 240, balance_usd: 120, held_credits: 0.5, available_credits: 239.5, total_spent_credits_30d: 285,
                  asset_executions_30d: 17, endpoint_requests_30d: 412, low_balance_warning: false, low_balance_threshold_credits: 20,
                },
              }),
            },
            "401": response("Unauthorized"),
            "404": response("NotFound"),
          },
          "x-example-curl": `curl "${origin}/companies/$COMPANY_ID/credits" -H "x-api-key: $TESSERA_KEY"`,
        },
      },
      "/companies/{companyId}/earnings": {
        get: {
          operationId: "getEarnings",
          summary: "Your earnings as a seller",
          tags: ["Company"],
          security: [{ CompanyKey: [] }],
          parameters: [{ $ref: "#/components/parameters/CompanyId" }],
          responses: {
            "200": {
              description: "What you earned (your 80% share) and what is waiting to be paid out.",
              content: json("Earnings", {
                data: {
                  pending_payout_usd: 840, total_earned_usd: 12450, asset_executions_30d: 420, endpoint_requests_30d: 8200,
                  top_product: { name: "Customer Churn Risk Score", type: "ASSET", transactions_30d: 312, revenue_30d: 624 },
                },
              }),
            },
            "401": response("Unauthorized"),
            "404": response("NotFound"),
          },
          "x-example-curl": `curl "${origin}/companies/$COMPANY_ID/earnings" -H "x-api-key: $TESSERA_KEY"`,
        },
      },
      "/companies/{companyId}/payouts/{payoutId}/report": {
        get: {
          operationId: "getPayoutReport",
          summary: "A payout's PDF statement",
          description: "The statement of one monthly payout: every product's sales, refunds and what rolled over. Find payout ids with the `payouts.list` procedure.",
          tags: ["Company"],
          security: [{ CompanyKey: [] }],
          parameters: [
            { $ref: "#/components/parameters/CompanyId" },
            { name: "payoutId", in: "path", required: true, description: "The payout, `po_<YYYY-MM>_<companyId>`.", schema: { type: "string" } },
          ],
          responses: {
            "200": { description: "The report.", content: { "application/pdf": { schema: { type: "string", format: "binary" } } } },
            "401": response("Unauthorized"),
            "404": response("NotFound"),
          },
          "x-example-curl": `curl -o payout.pdf "${origin}/companies/$COMPANY_ID/payouts/$PAYOUT_ID/report" -H "x-api-key: $TESSERA_KEY"`,
        },
      },
      "/webhooks/stripe": {
        post: {
          operationId: "stripeWebhook",
          summary: "Stripe events",
          description:
            "Stripe calls this with signed events (credit purchases, subscription renewals, Connect account updates). " +
            "The Stripe-Signature header is verified; each event is applied exactly once, however often it is delivered.",
          tags: ["Webhooks"],
          parameters: [{ name: "Stripe-Signature", in: "header", required: true, description: "Stripe's signature of the raw body.", schema: { type: "string" } }],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", description: "A Stripe event." } } } },
          responses: {
            "200": {
              description: "Received (also for an event already applied, or one Tessera ignores).",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      received: { type: "boolean" },
                      handled: { type: "boolean", description: "false for an event type Tessera does not act on." },
                    },
                  },
                  example: { received: true, handled: true },
                },
              },
            },
            "400": {
              description: "BAD_REQUEST: the signature is missing or wrong, or the body isn't an event.",
              content: json("Error", { error: { code: "BAD_REQUEST", message: "Invalid Stripe webhook signature", requestId: "req_3Xk9TqP2vL8mZr4wYb6n" } }),
            },
          },
        },
      },
    },
    components,
  };
}
