import { createRoute, z } from "@hono/zod-openapi";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../data";
import { endpointPage } from "../../metering/page";
import { readIdempotencyKey } from "../../metering/replay";
import { restRouter } from "../router";
import { metered, meteredHook } from "../metered";
import { billing, json, meteredErrorResponses } from "../schemas";
import { idempotencyKeyHeader, meteredErrorMeanings } from "./shared";

/** One value: a parameter repeated where it takes one is refused by name. */
const one = (description: string) => z.string({ error: "takes one value" }).optional().openapi({ description });

// The endpoint's own filters and the paging rules are checked by the query
// pipeline (src/data/query), which knows the product; here only the shape.
const query = z
  .object({
    page_size: one("Rows per page.").openapi({ type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
    cursor: one("`pagination.next_cursor` of the previous page. Only valid with the same filters and sort."),
    sort: one("A column the endpoint allows sorting by: `name` ascending, `-name` descending (`-signed_up`)."),
  })
  .catchall(z.union([z.string(), z.array(z.string())]));

export const row = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .openapi("Row", { description: "One row, keyed by the endpoint's output column names." });

export const endpointPageBody = z
  .object({
    data: z.array(row),
    pagination: z.object({
      page_size: z.number().int().openapi({ description: "Rows in this page." }),
      next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
    }),
    billing,
  })
  .openapi("EndpointPage");

export const fetchEndpoint = createRoute({
  method: "get",
  path: "/endpoints/{endpointId}",
  operationId: "fetchEndpoint",
  summary: "Fetch a page of an endpoint",
  description:
    "One page of rows. A successful request is billed once at the endpoint's price, a page with zero rows included; any error is free. " +
    "Follow `pagination.next_cursor` until it is null.",
  tags: ["Buying"],
  security: [{ EndpointKey: [] }],
  parameters: [
    {
      name: "filters",
      in: "query",
      style: "form",
      explode: true,
      description:
        "The endpoint's declared filters, each its own query parameter (`region=EU&since=2024-01-01`); repeat one to pass a list " +
        "(`region=EU&region=US`). The product's page lists them with their types; an unknown or ill-typed one is INVALID_FILTER.",
      schema: { type: "object", additionalProperties: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] } },
    },
  ],
  request: {
    params: z.object({ endpointId: z.string().openapi({ description: "The endpoint's product id." }) }),
    query,
    headers: z.object({ "idempotency-key": idempotencyKeyHeader }),
  },
  responses: {
    200: json("A page of rows, billed.", endpointPageBody),
    ...meteredErrorResponses({
      ...meteredErrorMeanings,
      INVALID_FILTER: "a filter, page_size, cursor or sort is wrong (the message names it).",
      BAD_REQUEST: "a malformed Idempotency-Key.",
      UNAUTHORIZED: "no key, or not an endpoint key.",
      FORBIDDEN: "the key is for another endpoint (an endpoint key calls its own endpoint only).",
      NOT_FOUND: "no such endpoint, or one you cannot call.",
    }),
  },
});

/**
 * What the route validates: the path and the query. The Idempotency-Key is
 * documented (`fetchEndpoint`) but read by the handler (`readIdempotencyKey`,
 * the same rule and message), which saves a validator pass over every
 * header on the hot path.
 */
const validated = { ...fetchEndpoint, request: { params: fetchEndpoint.request.params, query }, hide: true };

/**
 * `GET /v1/endpoints/:endpointId` with the buyer's endpoint key: one page of
 * rows. Every answer, success or error, carries `billing`.
 */
export const endpoints = restRouter().openapi(
  validated,
  (c) =>
    metered(c, "endpoint", c.req.valid("param").endpointId, (s, owner, attempt) => {
      // Repeated parameters come as lists (`region=EU&region=US`); page_size, cursor and sort take one value.
      const { page_size: pageSize, cursor, ...params } = c.req.valid("query");
      return endpointPage(
        s,
        { keyId: owner.keyId, companyId: owner.companyId, endpointId: owner.endpointId!, channel: "api" },
        {
          endpointId: c.req.valid("param").endpointId,
          params,
          pageSize,
          cursor,
          idempotencyKey: readIdempotencyKey(c.req.header("idempotency-key")),
        },
        attempt,
      );
    }),
  meteredHook("endpoint", "endpointId"),
);
endpoints.openAPIRegistry.registerPath(fetchEndpoint);
