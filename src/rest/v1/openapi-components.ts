import { columnTypes } from "../../db/schema";
import { errorCodes } from "../../errors";
import type { OpenApiDocument, Parameter, Response, Schema } from "./openapi-types";

/** The shared shapes of Tessera's REST surface, referenced by the paths in openapi.ts. */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const decimal = (description: string): Schema => ({ type: "number", description });

const schemas: Record<string, Schema> = {
  ErrorCode: {
    type: "string",
    description: "A stable code from a closed list. Branch on it, never on the message.",
    enum: Object.keys(errorCodes),
  },
  ErrorDetail: {
    type: "object",
    required: ["code", "message", "requestId"],
    properties: {
      code: ref("ErrorCode"),
      message: { type: "string", description: "For people: says what was wrong and, where it can, how to fix it." },
      requestId: { type: "string", description: "Quote it to support; also in the x-request-id header." },
    },
  },
  Error: {
    type: "object",
    description: "Every error of an unmetered route.",
    required: ["error"],
    properties: { error: ref("ErrorDetail") },
  },
  Billing: {
    type: "object",
    description:
      "What this request cost. Present on every metered answer, success or error. Failed requests are never billed; a 200 with zero rows is.",
    required: ["billed", "credits", "request_id"],
    properties: {
      billed: { type: "boolean", description: "True only when credits were taken for this request." },
      credits: decimal("Credits charged by this request; 0 unless billed."),
      request_id: { type: "string", description: "This request's id, also the id of its hold in the wallet." },
      price_usd: decimal("The product's price in USD per call, when it was known."),
      price_credits: decimal("The same price in credits at the rate in force."),
      replayed: { type: "boolean", description: "Set when an Idempotency-Key replayed an earlier answer: this request was not billed again." },
    },
  },
  MeteredError: {
    type: "object",
    description: "Every error of a metered route: the error, and billing with billed false.",
    required: ["error", "billing"],
    properties: { error: ref("ErrorDetail"), billing: ref("Billing") },
  },
  Row: {
    type: "object",
    description: "One row, keyed by the endpoint's output column names.",
    additionalProperties: { type: ["string", "number", "boolean", "null"] },
  },
  EndpointPage: {
    type: "object",
    required: ["data", "pagination", "billing"],
    properties: {
      data: { type: "array", items: ref("Row") },
      pagination: {
        type: "object",
        required: ["page_size", "next_cursor"],
        properties: {
          page_size: { type: "integer", description: "Rows in this page." },
          next_cursor: { type: ["string", "null"], description: "Pass as cursor for the next page; null on the last page." },
        },
      },
      billing: ref("Billing"),
    },
  },
  Calculation: {
    type: "object",
    description: "A calculation asset's one value.",
    required: ["type", "value", "kind"],
    properties: {
      type: { const: "calculation" },
      value: { type: ["number", "string", "null"] },
      kind: { type: "string", enum: ["number", "string", "percentage"] },
    },
  },
  Visualization: {
    type: "object",
    description: "A visualization asset's chart: its data, and an SVG any client can show as is.",
    required: ["type", "chart", "svg"],
    properties: {
      type: { const: "visualization" },
      chart: {
        type: "object",
        required: ["type", "title", "points"],
        properties: {
          type: { type: "string", enum: ["bar", "line"] },
          title: { type: "string" },
          points: {
            type: "array",
            items: {
              type: "object",
              required: ["label", "value"],
              properties: { label: { type: "string" }, value: { type: ["number", "null"] } },
            },
          },
        },
      },
      svg: { type: "string", description: "A complete <svg> document." },
    },
  },
  AssetExecution: {
    type: "object",
    required: ["data", "billing"],
    properties: {
      data: {
        type: "object",
        required: ["purchase_id", "product_id", "result"],
        properties: {
          purchase_id: { type: "string", description: "The stored result: read it again later at no charge." },
          product_id: { type: "string" },
          result: {
            oneOf: [ref("Calculation"), ref("Visualization")],
            discriminator: { propertyName: "type" },
          },
        },
      },
      billing: ref("Billing"),
    },
  },
  DatasetColumn: {
    type: "object",
    required: ["name", "label", "type", "filterable"],
    properties: {
      name: { type: "string", description: "The safe name used in query specs and in rows buyers get (a slug of the label)." },
      label: { type: "string", description: "The header as uploaded." },
      type: { type: "string", enum: [...columnTypes] },
      filterable: { type: "boolean", description: "Indexed for buyers' filters." },
    },
  },
  Dataset: {
    type: "object",
    description: "A hosted dataset as its seller sees it.",
    required: ["id", "companyId", "kind", "name", "status", "rowCount", "columns", "sizeBytes", "createdAt"],
    properties: {
      id: { type: "string", examples: ["src_5f0c1a9e2b7d4c3a8e6f1b2d"] },
      companyId: { type: "string" },
      kind: { const: "dataset" },
      name: { type: "string" },
      status: { type: "string", enum: ["loading", "ready"], description: "loading while the upload runs; ready (and never changed again) once it finished." },
      rowCount: { type: "integer" },
      columns: { type: "array", items: ref("DatasetColumn") },
      sizeBytes: { type: "integer", description: "Size of the uploaded file (while loading: bytes received so far); what counts against your quota." },
      createdAt: { type: "integer", description: "Unix time in milliseconds." },
      upload: ref("UploadProgress"),
    },
  },
  UploadProgress: {
    type: "object",
    description: "Where an upload stands; only while status is loading.",
    required: ["phase", "parts", "bytes", "rows", "updatedAt"],
    properties: {
      phase: { type: "string", enum: ["receiving", "converting", "indexing", "ready"] },
      parts: { type: "integer", description: "Parts stored so far." },
      bytes: { type: "integer", description: "Bytes of the file received so far." },
      rows: { type: "integer", description: "Rows read so far." },
      updatedAt: { type: "integer", description: "Unix time in milliseconds of the last chunk; an upload idle for 15 minutes is removed." },
    },
  },
  Credits: {
    type: "object",
    required: ["data"],
    properties: {
      data: {
        type: "object",
        required: [
          "balance_credits", "balance_usd", "held_credits", "available_credits", "total_spent_credits_30d",
          "asset_executions_30d", "endpoint_requests_30d", "low_balance_warning", "low_balance_threshold_credits",
        ],
        properties: {
          balance_credits: decimal("Credits in the wallet, held ones included."),
          balance_usd: decimal("The balance at today's credit value."),
          held_credits: decimal("Reserved by requests in flight."),
          available_credits: decimal("What can be spent now: balance minus held."),
          total_spent_credits_30d: decimal("Credits spent in the last 30 days."),
          asset_executions_30d: { type: "integer" },
          endpoint_requests_30d: { type: "integer", description: "Billed endpoint requests." },
          low_balance_warning: { type: "boolean", description: "True when available credits are under the threshold." },
          low_balance_threshold_credits: decimal("The company's warning threshold."),
        },
      },
    },
  },
  Earnings: {
    type: "object",
    required: ["data"],
    properties: {
      data: {
        type: "object",
        required: ["pending_payout_usd", "total_earned_usd", "asset_executions_30d", "endpoint_requests_30d", "top_product"],
        properties: {
          pending_payout_usd: decimal("Earned and not yet paid out (paid monthly, $25 minimum)."),
          total_earned_usd: decimal("The seller's 80% share of every sale, ever."),
          asset_executions_30d: { type: "integer", description: "Executions of this seller's assets." },
          endpoint_requests_30d: { type: "integer", description: "Billed requests to this seller's endpoints." },
          top_product: {
            type: ["object", "null"],
            description: "The product with the most sales in 30 days; null when there were none.",
            required: ["name", "type", "transactions_30d", "revenue_30d"],
            properties: {
              name: { type: "string" },
              type: { type: "string", enum: ["ASSET", "ENDPOINT"] },
              transactions_30d: { type: "integer" },
              revenue_30d: decimal("The seller's share in USD."),
            },
          },
        },
      },
    },
  },
};

const parameters: Record<string, Parameter> = {
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    description:
      "Makes a retry safe: the same key with the same request returns the first answer and is not billed again (billing.replayed). " +
      "The same key with other parameters is CONFLICT. 1 to 255 of letters, digits and . _ : -",
    schema: { type: "string" },
    example: "order-7781-page-1",
  },
  CompanyId: { name: "companyId", in: "path", required: true, description: "Your own company's id.", schema: { type: "string" } },
};

/** A metered error response: the codes it may carry and an example body. */
function meteredError(description: string, code: string, message: string): Response {
  return {
    description,
    content: {
      "application/json": {
        schema: ref("MeteredError"),
        example: { error: { code, message, requestId: "req_3Xk9TqP2vL8mZr4wYb6n" }, billing: { billed: false, credits: 0, request_id: "req_3Xk9TqP2vL8mZr4wYb6n" } },
      },
    },
  };
}

function plainError(description: string, code: string, message: string): Response {
  return {
    description,
    content: { "application/json": { schema: ref("Error"), example: { error: { code, message, requestId: "req_3Xk9TqP2vL8mZr4wYb6n" } } } },
  };
}

const responses: Record<string, Response> = {
  MeteredBadRequest: meteredError("INVALID_FILTER: a parameter, page_size, cursor or sort is wrong (the message names it). BAD_REQUEST: a malformed request.", "INVALID_FILTER", 'region: "Mars" is not one of the allowed values.'),
  AssetBadRequest: meteredError("INVALID_FILTER: a parameter is missing, unknown or of the wrong type (the message names it). BAD_REQUEST: the body is not JSON.", "INVALID_FILTER", "region: this parameter is required."),
  MeteredUnauthorized: meteredError("UNAUTHORIZED: no key or an unknown one. KEY_REVOKED: the key was revoked.", "UNAUTHORIZED", "This API key is not valid."),
  InsufficientCredits: {
    ...meteredError(
      "INSUFFICIENT_CREDITS: the wallet's available credits don't cover the price. error.details.payment has the terms: price_credits, price_usd, " +
        "available_credits, shortfall_credits, top_up (the Checkout procedure and the catalogue) and the challenge below, decoded.",
      "INSUFFICIENT_CREDITS",
      "Needs 0.02 credits; 0.01 available.",
    ),
    headers: {
      "WWW-Authenticate": {
        description:
          'A Payment challenge (IETF draft "The \'Payment\' HTTP Authentication Scheme"): id, realm, method="tessera", intent="charge", ' +
          "request (base64url JCS JSON: amount in micro-credits, currency tessera_credit, decimals 6, methodDetails with priceUsd, availableCredits, " +
          "shortfallCredits, checkout, catalogue), expires, description. No credential is accepted in-band: buy credits through Checkout and call again.",
        schema: { type: "string" },
      },
    },
  },
  MeteredForbidden: meteredError("FORBIDDEN: the key is valid but not for this product (an endpoint key is good for one endpoint only).", "FORBIDDEN", "This key is for another endpoint."),
  MeteredNotFound: meteredError("NOT_FOUND: no such product, or not one you can call.", "NOT_FOUND", "No endpoint prd_9f8e7d6c."),
  MeteredConflict: meteredError("CONFLICT: the Idempotency-Key was used with other parameters, or its first request is still running.", "CONFLICT", "This Idempotency-Key was used with other parameters."),
  OriginError: meteredError("ORIGIN_ERROR: the seller's data source failed or answered something malformed. Not billed.", "ORIGIN_ERROR", "The data source answered 500."),
  OriginTimeout: meteredError("ORIGIN_TIMEOUT: the seller's data source did not answer in time. Not billed.", "ORIGIN_TIMEOUT", "The data source did not answer within 5000 ms."),
  Unauthorized: plainError("UNAUTHORIZED: no key or an unknown one. KEY_REVOKED: the key was revoked.", "UNAUTHORIZED", "Send your API key in the x-api-key header."),
  NotFound: plainError("NOT_FOUND: no such company, or not yours (another company's id answers the same).", "NOT_FOUND", "No company co_1a2b3c."),
};

export const components: OpenApiDocument["components"] = {
  schemas,
  parameters,
  responses,
  securitySchemes: {
    EndpointKey: {
      type: "apiKey",
      in: "header",
      name: "x-api-key",
      description: "The key Tessera gave your company for one endpoint (created on your first fetch). Good for that endpoint only.",
    },
    CompanyKey: {
      type: "apiKey",
      in: "header",
      name: "x-api-key",
      description: "A company API key (tsk_...). Changes need a full-scope key; a read-only key can only read.",
    },
  },
};
