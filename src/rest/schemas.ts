/**
 * The shapes every REST route shares: the one error body, the `billing`
 * object of metered answers, and the error responses a route declares by
 * naming its codes. Routes put their own request and response schemas beside
 * their handler; the OpenAPI document is generated from them (src/rest/index.ts).
 */
import { z, type RouteConfig } from "@hono/zod-openapi";
import { errorCodes, type ErrorCode } from "../errors";

export const errorCode = z
  .enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]])
  .openapi("ErrorCode", { description: "A stable code from a closed list (src/errors.ts). Branch on it, never on the message." });

/** The error itself; a route's response for one status lists the codes it can carry there. */
const errorDetail = (codes?: readonly ErrorCode[]) =>
  z.object({
    code: codes ? z.enum(codes as [ErrorCode, ...ErrorCode[]]) : errorCode,
    message: z.string().openapi({ description: "For people: what was wrong and, where it can, how to fix it." }),
    requestId: z.string().openapi({ description: "Quote it to support; also in the x-request-id header.", example: "req_3Xk9TqP2vL8mZr4wYb6n" }),
  });

export const errorBody = z.object({ error: errorDetail() }).openapi("Error", {
  description: "Every error of an unmetered route: `{ error: { code, message, requestId } }`.",
});

const remaining = (when: string) => z.number().nullable().openapi({ description: `Credits the key may still spend ${when}; null: no such cap.` });

export const billing = z
  .object({
    billed: z.boolean().openapi({ description: "True only when credits were taken for this request." }),
    credits: z.number().openapi({ description: "Credits charged by this request; 0 unless billed." }),
    request_id: z.string().openapi({ description: "This request's id, also in the x-request-id header." }),
    price_usd: z.number().optional().openapi({ description: "The product's price in USD per call, when it was known." }),
    price_credits: z.number().optional().openapi({ description: "The same price in credits at the rate in force." }),
    replayed: z.literal(true).optional().openapi({ description: "Set when an Idempotency-Key replayed an earlier answer: this request was not billed again." }),
    budget: z
      .object({
        day: remaining("today (UTC)"),
        month: remaining("this month (UTC)"),
        total: remaining("in all"),
      })
      .optional()
      .openapi({ description: "Only for a key with spending caps: the credits it may still spend, after this request." }),
  })
  .openapi("Billing", {
    description: "What this request cost. On every metered answer, success or error. A failed request is never billed; a 200 with zero rows is.",
  });

export const meteredErrorBody = z
  .object({
    error: errorDetail(),
    billing: billing.extend({ billed: z.literal(false), credits: z.literal(0) }),
  })
  .openapi("MeteredError", { description: "Every error of a metered route: the error, and `billing` with `billed: false`." });

/** What each code means on a route, in a few words. */
export type CodeMeanings = Partial<Record<ErrorCode, string>>;

/**
 * The error responses of a route from the codes it can answer with, grouped
 * by their HTTP status (src/errors.ts). Each status's body lists exactly its
 * codes, so the document and the contract test know which code goes where.
 */
export function errorResponses(meanings: CodeMeanings, metered = false): RouteConfig["responses"] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(meanings) as ErrorCode[]) {
    const status = errorCodes[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => {
      const detail = errorDetail(codes);
      const schema = metered ? meteredErrorBody.extend({ error: detail }) : errorBody.extend({ error: detail });
      const description = codes.map((code) => `${code}: ${meanings[code]}`).join(" ");
      return [status, { description, content: { "application/json": { schema } } }];
    }),
  );
}

/** The error responses of a metered route: the body carries `billing` too. */
export const meteredErrorResponses = (meanings: CodeMeanings) => errorResponses(meanings, true);

/** `{ data: ... }`, the envelope of every unmetered success. */
export const dataOf = <T extends z.ZodType>(data: T) => z.object({ data });

/** A JSON response for the document. */
export const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
