/**
 * The `billing` object every metered answer carries, success or error, and
 * the one way a metered failure is rendered. Credits stay in micro-units
 * until here, where they become the decimal numbers of the API.
 */
import { errorCodes, isErrorCode, TesseraError, type ErrorCode } from "../errors";
import { formatDecimal, toDecimalNumber, type Credits, type Usd } from "../money";
import type { CallOutcome } from "../wallet/types";

export interface Billing {
  billed: boolean;
  /** Credits charged by this request (0 unless billed). */
  credits: number;
  request_id: string;
  /** The price in force, in USD and in credits, when it was known. */
  price_usd?: number;
  price_credits?: number;
  /** Set when an Idempotency-Key replayed an earlier response. */
  replayed?: boolean;
  /** For a key with spending caps: the credits it may still spend today, this month, in total (null: no such cap). */
  budget?: { day: number | null; month: number | null; total: number | null };
}

/** The price of one call as the answer shows it. */
export interface Price {
  usd: Usd;
  credits: Credits;
}

export function unbilled(requestId: string, price?: Price): Billing {
  return { billed: false, credits: 0, request_id: requestId, ...priceFields(price) };
}

export function billed(requestId: string, credits: Credits, price?: Price): Billing {
  return { billed: true, credits: toDecimalNumber(credits), request_id: requestId, ...priceFields(price) };
}

/** What the wallet decided, as the answer shows it. */
export function billingOf(outcome: CallOutcome, price?: Price): Billing {
  const billing = outcome.billed ? billed(outcome.requestId, outcome.credits, price) : unbilled(outcome.requestId, price);
  return withBudget(billing, outcome);
}

/** Adds what a capped key may still spend, when the key has caps. */
export function withBudget(billing: Billing, outcome: CallOutcome): Billing {
  if (!outcome.budget) return billing;
  const credits = (micro: number | null) => (micro === null ? null : toDecimalNumber(micro));
  return { ...billing, budget: { day: credits(outcome.budget.day), month: credits(outcome.budget.month), total: credits(outcome.budget.total) } };
}

function priceFields(price: Price | undefined) {
  return price ? { price_usd: toDecimalNumber(price.usd), price_credits: toDecimalNumber(price.credits) } : {};
}

/** A metered answer: the HTTP status and the JSON body, billing included. */
export interface MeteredAnswer<T = unknown> {
  status: number;
  body: T | ErrorBody;
  billing: Billing;
  /** Extra response headers (a payment challenge on 402). */
  headers?: Record<string, string>;
  /** On 402 INSUFFICIENT_CREDITS: what was due and available, for the payment terms (payment.ts). */
  shortfall?: Shortfall;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: Record<string, unknown> };
  billing: Billing;
}

/**
 * What a 402 INSUFFICIENT_CREDITS knows, in micro-units: the price due and
 * what the wallet had available when it refused. src/metering/payment.ts
 * renders it as the answer's payment terms and challenge.
 */
export interface Shortfall {
  dueCredits: Credits;
  availableCredits: Credits;
}

/** The Tessera error behind a failure; anything unknown is INTERNAL (and logged, without its data). */
export function errorOf(error: unknown, requestId: string): TesseraError {
  if (error instanceof TesseraError) return error;
  // Only the error's kind and message: never a buyer's rows, keys or idempotency keys.
  console.error(requestId, error instanceof Error ? `${error.name}: ${error.message}` : "non-error thrown");
  return new TesseraError("INTERNAL", "Something went wrong on our side.");
}

export function failure(error: TesseraError, billing: Billing): MeteredAnswer<never> {
  const answer: MeteredAnswer<never> = {
    status: error.status,
    body: { error: { code: error.code, message: error.message, requestId: billing.request_id }, billing },
    billing,
  };
  const shortfall = shortfallOf(error);
  if (shortfall) answer.shortfall = shortfall;
  return answer;
}

/** The shortfall behind a refusal for lack of credits, when the wallet said how much was missing. */
function shortfallOf(error: TesseraError): Shortfall | undefined {
  if (error.code !== "INSUFFICIENT_CREDITS") return undefined;
  const { dueCredits, availableCredits } = error.details ?? {};
  if (typeof dueCredits !== "number" || typeof availableCredits !== "number") return undefined;
  return { dueCredits: dueCredits as Credits, availableCredits: availableCredits as Credits };
}

/** The refusal the wallet decided on, with the message a person can act on. */
export function refusalOf(outcome: CallOutcome, due: Credits | null, original: TesseraError | null): TesseraError {
  const code = isErrorCode(outcome.code) ? outcome.code : "INTERNAL";
  if (original && original.code === code) return original;
  switch (code) {
    case "INSUFFICIENT_CREDITS":
      return new TesseraError(code, `Needs ${formatDecimal(due ?? 0)} credits; ${formatDecimal(outcome.available)} available.`, {
        dueCredits: due ?? 0,
        availableCredits: outcome.available,
      });
    case "KEY_REVOKED":
      return new TesseraError(code, "This key has been revoked.");
    case "FORBIDDEN":
      return new TesseraError(code, "The seller has revoked your company's access to this product.");
    case "BUDGET_EXCEEDED":
      return new TesseraError(code, `This key's spending cap leaves less than the ${formatDecimal(due ?? 0)} credits this call costs; nothing was charged. A company admin can raise it (keys.setCaps).`);
    case "CONFLICT":
      return new TesseraError(code, "Another request with this Idempotency-Key took it over.");
    default:
      return new TesseraError(code, errorCodes[code] >= 500 ? "Something went wrong on our side." : "The call was refused.");
  }
}
