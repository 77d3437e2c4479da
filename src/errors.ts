/**
 * One error type, one closed list of codes, one mapping to HTTP status.
 * Domain code throws `TesseraError`; the REST layer renders it in `app.onError`
 * and tRPC maps it in its `errorFormatter`. A known case is never a 500.
 */
export const errorCodes = {
  BAD_REQUEST: 400,
  INVALID_AMOUNT: 400,
  INVALID_FILTER: 400,
  INVALID_DATASET: 400,
  WEAK_PASSWORD: 400,
  UNAUTHORIZED: 401,
  INSUFFICIENT_CREDITS: 402,
  PAYMENT_FAILED: 402,
  FORBIDDEN: 403,
  BUDGET_EXCEEDED: 403,
  KEY_REVOKED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  HOLD_RESOLVED: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** A seller's hosted datasets would pass their storage quota. */
  QUOTA_EXCEEDED: 413,
  RATE_LIMITED: 429,
  ORIGIN_ERROR: 502,
  ORIGIN_TIMEOUT: 504,
  STRIPE_ERROR: 502,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class TesseraError extends Error {
  override readonly name = "TesseraError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

/**
 * A refusal about one input field. `details.issues` names it the way a
 * schema's refusal does (src/trpc/trpc.ts errorFormatter), so a form shows
 * the message on that field.
 */
export function fieldError(code: ErrorCode, path: string, message: string): TesseraError {
  return new TesseraError(code, message, { issues: [{ path, message }] });
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(errorCodes, value);
}

/**
 * A refusal a Durable Object's caller expects (INSUFFICIENT_CREDITS,
 * CONFLICT, NOT_FOUND, ...), carried back over RPC as a value. A thrown error
 * would cross RPC as a plain `Error` (only its message survives) and be
 * logged by the runtime as an uncaught exception of the object: hundreds of
 * lines under load for what are ordinary answers.
 */
export interface Refused {
  refused: { code: ErrorCode; message: string };
}

export function refusal(error: TesseraError): Refused {
  return { refused: { code: error.code, message: error.message } };
}

export function isRefused(value: unknown): value is Refused {
  return typeof value === "object" && value !== null && "refused" in value && Object.keys(value).length === 1;
}

/** An object's answer, with a refusal thrown as the `TesseraError` it was. */
export async function answerOf<T>(call: Promise<T | Refused>): Promise<T> {
  const result = await call;
  if (isRefused(result)) throw new TesseraError(result.refused.code, result.refused.message);
  return result;
}

/** Runs an object's method body: a known refusal becomes a `Refused` value, anything else (a bug) is thrown. */
export function refusing<T>(op: () => T): T | Refused {
  try {
    return op();
  } catch (error) {
    if (error instanceof TesseraError && error.code !== "INTERNAL") return refusal(error);
    throw error;
  }
}
