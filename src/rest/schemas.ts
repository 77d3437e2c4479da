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

/** A 402's terms (src/metering/payment.ts): what the call costs, what is missing, where to top up. */
const paymentTerms = z
  .object({
    price_credits: z.number(),
    price_usd: z.number().nullable(),
    available_credits: z.number(),
    shortfall_credits: z.number(),
    top_up: z.object({
      checkout: z.string().openapi({ description: "POST here (JSON as in the catalogue) for a Stripe Checkout a person pays." }),
      catalogue: z.string().openapi({ description: "GET: bundles, plans and the price of one credit." }),
      mcp_tool: z.literal("buy_credits"),
    }),
    challenge: z.object({
      id: z.string(),
      realm: z.string(),
      method: z.literal("tessera"),
      intent: z.literal("charge"),
      request: z.object({
        amount: z.string().openapi({ description: "Micro-credits." }),
        currency: z.literal("tessera_credit"),
        decimals: z.literal(6),
        methodDetails: z.object({
          priceUsd: z.string().nullable(),
          availableCredits: z.string(),
          shortfallCredits: z.string(),
          checkout: z.string(),
          catalogue: z.string(),
        }),
      }),
      expires: z.string(),
      description: z.string(),
      header: z.string().openapi({ description: "The WWW-Authenticate value, as sent." }),
    }),
  })
  .openapi("PaymentTerms", { description: "Why the call was refused for credits and how to top up; the same as the WWW-Authenticate challenge, decoded." });

const paymentChallengeHeader = {
  description:
    'A Payment challenge (IETF draft "The \'Payment\' HTTP Authentication Scheme"): id, realm, method="tessera", intent="charge", ' +
    "request (base64url JCS JSON of error.details.payment.challenge.request), expires, description. No credential is taken in-band: " +
    "buy credits through Checkout and call again.",
  schema: { type: "string" as const },
};

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
      const description = codes.map((code) => `${code}: ${meanings[code]}`).join(" ");
      if (metered && status === 402) {
        const schema = meteredErrorBody.extend({ error: errorDetail(codes).extend({ details: z.object({ payment: paymentTerms }) }) });
        return [status, { description, headers: { "WWW-Authenticate": paymentChallengeHeader }, content: { "application/json": { schema } } }];
      }
      const detail = errorDetail(codes);
      const schema = metered ? meteredErrorBody.extend({ error: detail }) : errorBody.extend({ error: detail });
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
