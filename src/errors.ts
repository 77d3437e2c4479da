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
  UNAUTHORIZED: 401,
  INSUFFICIENT_CREDITS: 402,
  PAYMENT_FAILED: 402,
  FORBIDDEN: 403,
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

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(errorCodes, value);
}

/**
 * Errors thrown inside a Durable Object reach the caller over RPC as plain
 * `Error`s carrying only the message. We prefix the message with the code so
 * the caller can rebuild the `TesseraError` without losing it.
 */
export function fromRpcError(error: unknown): unknown {
  if (error instanceof TesseraError || !(error instanceof Error)) return error;
  const match = /^([A-Z_]+): (.*)$/s.exec(error.message);
  if (match && isErrorCode(match[1])) return new TesseraError(match[1], match[2]!);
  return error;
}

/** The form a `TesseraError` takes to cross a Durable Object RPC boundary. */
export function toRpcError(error: unknown): unknown {
  return error instanceof TesseraError ? new Error(`${error.code}: ${error.message}`) : error;
}
