/**
 * Errors in Stripe's shape: `{ error: { type, code, message, param, ... } }`
 * with the status the SDK maps to its error classes (400/404 →
 * StripeInvalidRequestError, 401 → StripeAuthenticationError, 402 →
 * StripeCardError, 5xx → StripeAPIError).
 */
export interface StripeErrorBody {
  type: "invalid_request_error" | "card_error" | "api_error" | "idempotency_error";
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
}

export class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    /** Stripe does not save an idempotent result when the parameters failed validation. */
    readonly savedForIdempotency = true,
  ) {
    super(body.message);
  }
}

const docs = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`;

export function invalidRequest(message: string, options: { code?: string; param?: string; status?: number } = {}) {
  const { code, param, status = 400 } = options;
  return new StripeFailure(status, {
    type: "invalid_request_error",
    message,
    ...(code ? { code, doc_url: docs(code) } : {}),
    ...(param ? { param } : {}),
  });
}

export function missingParam(param: string) {
  const failure = new StripeFailure(400, {
    type: "invalid_request_error",
    code: "parameter_missing",
    doc_url: docs("parameter_missing"),
    message: `Missing required param: ${param}.`,
    param,
  }, false);
  return failure;
}

export function invalidParam(param: string, message: string, code = "parameter_invalid") {
  return new StripeFailure(400, { type: "invalid_request_error", code, doc_url: docs(code), message, param }, false);
}

export function noSuch(kind: string, id: string, param = "id") {
  return new StripeFailure(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    doc_url: docs("resource_missing"),
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

export function cardDeclined(extra: { charge?: string; payment_intent?: unknown } = {}, savedForIdempotency = true) {
  return new StripeFailure(402, {
    type: "card_error",
    code: "card_declined",
    decline_code: "generic_decline",
    doc_url: docs("card_declined"),
    message: "Your card was declined.",
    ...extra,
  }, savedForIdempotency);
}

export function apiError(message = "An unknown error occurred.") {
  return new StripeFailure(500, { type: "api_error", message }, false);
}

export function authenticationFailed(message: string) {
  return new StripeFailure(401, { type: "invalid_request_error", message }, false);
}

export function noApiKey() {
  return authenticationFailed(
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
  );
}

export function unrecognizedUrl(method: string, path: string) {
  return invalidRequest(`Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, { status: 404 });
}

export function idempotencyMismatch(key: string) {
  return new StripeFailure(400, {
    type: "idempotency_error",
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  }, false);
}
