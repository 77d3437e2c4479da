/**
 * The wallet's own input checks. Callers parse with zod first; these run
 * again inside the object because it is the last line of defense for money,
 * and RPC delivers whatever a caller sent. Each returns a normalized copy and
 * a fingerprint: the canonical form of the parameters that an idempotent
 * retry must repeat exactly.
 */
import { ledgerKinds, type LedgerKind } from "./kinds";
import { TesseraError } from "../errors";
import { MAX_CREDITS, type Credits, type Usd } from "../money";
import {
  depositKinds,
  type AdjustInput,
  type ChargeInput,
  type CommitInput,
  type DepositInput,
  type HoldInput,
  type Sale,
} from "./types";

export const DEFAULT_HOLD_TTL_MS = 5 * 60_000;
export const MAX_HOLD_TTL_MS = 24 * 60 * 60_000;
const MAX_ID_LENGTH = 200;
const MAX_REASON_LENGTH = 500;
const MAX_HISTORY_LIMIT = 500;

function bad(message: string): TesseraError {
  return new TesseraError("BAD_REQUEST", message);
}

function record(input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw bad(`${what} must be an object.`);
  return input as Record<string, unknown>;
}

export function checkId(value: unknown, what = "id"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw bad(`${what} must be a non-empty string of at most ${MAX_ID_LENGTH} characters.`);
  }
  return value;
}

/** A movement's amount: a positive safe integer of micro-credits, at most MAX_CREDITS. */
export function checkCredits(value: unknown, what = "credits"): Credits {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0 || value > MAX_CREDITS) {
    throw new TesseraError("INVALID_AMOUNT", `${what} must be a whole number of micro-credits from 1 to ${MAX_CREDITS}.`);
  }
  return value as Credits;
}

function checkUsd(value: unknown, what: string, min: number): Usd {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new TesseraError("INVALID_AMOUNT", `${what} must be a whole number of micro-dollars, at least ${min}.`);
  }
  return value as Usd;
}

function checkReason(value: unknown, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) throw bad("A reason is required.");
    return null;
  }
  if (typeof value !== "string" || value.length > MAX_REASON_LENGTH || (required && value.trim() === "")) {
    throw bad(`reason must be a string of at most ${MAX_REASON_LENGTH} characters.`);
  }
  return value;
}

export function checkSale(input: unknown): Sale {
  const sale = record(input, "sale");
  if (sale.productType !== "asset" && sale.productType !== "endpoint") {
    throw bad("sale.productType must be asset or endpoint.");
  }
  const checked: Sale = {
    productId: checkId(sale.productId, "sale.productId"),
    productType: sale.productType,
    sellerCompanyId: checkId(sale.sellerCompanyId, "sale.sellerCompanyId"),
    grossUsd: checkUsd(sale.grossUsd, "sale.grossUsd", 0),
    sellerShareUsd: checkUsd(sale.sellerShareUsd, "sale.sellerShareUsd", 0),
    platformFeeUsd: checkUsd(sale.platformFeeUsd, "sale.platformFeeUsd", 0),
    usdPerCredit: checkUsd(sale.usdPerCredit, "sale.usdPerCredit", 1),
  };
  if (checked.sellerShareUsd + checked.platformFeeUsd !== checked.grossUsd) {
    throw new TesseraError("INVALID_AMOUNT", "sale.sellerShareUsd + sale.platformFeeUsd must equal sale.grossUsd.");
  }
  return checked;
}

/** The sale's fields in a fixed order, so key order never makes a retry look different. */
function saleKey(sale: Sale | null): unknown[] | null {
  return sale === null
    ? null
    : [sale.productId, sale.productType, sale.sellerCompanyId, sale.grossUsd, sale.sellerShareUsd, sale.platformFeeUsd, sale.usdPerCredit];
}

export interface Checked<T> {
  value: T;
  fingerprint: string;
}

export interface CheckedDeposit {
  id: string;
  kind: DepositInput["kind"];
  credits: Credits;
  expiresAt: number | null;
  reason: string | null;
  sale: Sale | null;
  usdPerCredit: Usd;
}

export function checkDeposit(input: unknown): Checked<CheckedDeposit> {
  const raw = record(input, "deposit");
  const id = checkId(raw.id);
  if (!(depositKinds as readonly unknown[]).includes(raw.kind)) {
    throw bad(`kind must be one of ${depositKinds.join(", ")}.`);
  }
  const kind = raw.kind as DepositInput["kind"];
  const credits = checkCredits(raw.credits);
  let expiresAt: number | null = null;
  if (raw.expiresAt !== undefined && raw.expiresAt !== null) {
    if (kind === "top_up") throw bad("Credits bought by card never expire.");
    if (typeof raw.expiresAt !== "number" || !Number.isSafeInteger(raw.expiresAt) || raw.expiresAt <= 0) {
      throw bad("expiresAt must be epoch milliseconds.");
    }
    expiresAt = raw.expiresAt;
  }
  const sale = raw.sale === undefined || raw.sale === null ? null : checkSale(raw.sale);
  if (sale && kind !== "refund") throw bad("Only a refund carries a sale.");
  const value: CheckedDeposit = {
    id,
    kind,
    credits,
    expiresAt,
    reason: checkReason(raw.reason, false),
    sale,
    usdPerCredit: checkUsd(raw.usdPerCredit, "usdPerCredit", 1),
  };
  const fingerprint = JSON.stringify(["deposit", kind, credits, expiresAt, value.reason, saleKey(sale), value.usdPerCredit]);
  return { value, fingerprint };
}

export function checkAdjust(input: unknown): Checked<AdjustInput & { reason: string }> {
  const raw = record(input, "adjustment");
  const value = {
    id: checkId(raw.id),
    credits: checkCredits(raw.credits),
    reason: checkReason(raw.reason, true)!,
    usdPerCredit: checkUsd(raw.usdPerCredit, "usdPerCredit", 1),
  };
  return { value, fingerprint: JSON.stringify(["adjust", value.credits, value.reason, value.usdPerCredit]) };
}

export function checkHold(input: unknown): Checked<Required<HoldInput>> {
  const raw = record(input, "hold");
  const ttlMs = raw.ttlMs ?? DEFAULT_HOLD_TTL_MS;
  if (typeof ttlMs !== "number" || !Number.isSafeInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_HOLD_TTL_MS) {
    throw bad(`ttlMs must be whole milliseconds from 1 to ${MAX_HOLD_TTL_MS}.`);
  }
  const value = { id: checkId(raw.id), credits: checkCredits(raw.credits), ttlMs };
  return { value, fingerprint: JSON.stringify(["hold", value.credits, ttlMs]) };
}

export function checkCharge(input: unknown): Checked<ChargeInput> {
  const raw = record(input, "charge");
  const value = { id: checkId(raw.id), credits: checkCredits(raw.credits), sale: checkSale(raw.sale) };
  return { value, fingerprint: JSON.stringify(["charge", value.credits, saleKey(value.sale)]) };
}

/** A commit's fingerprint needs the held amount (an omitted amount means all of it), so it is built later. */
export function checkCommit(input: unknown): CommitInput {
  const raw = record(input, "commit");
  return {
    id: checkId(raw.id),
    ...(raw.credits === undefined ? {} : { credits: checkCredits(raw.credits) }),
    sale: checkSale(raw.sale),
  };
}

export function commitFingerprint(credits: Credits, sale: Sale): string {
  return JSON.stringify(["commit", credits, saleKey(sale)]);
}

export const RELEASE_FINGERPRINT = JSON.stringify(["release"]);

/** A threshold may be zero (no warning at all). */
export function checkThreshold(value: unknown): Credits {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > MAX_CREDITS) {
    throw new TesseraError("INVALID_AMOUNT", `The threshold must be a whole number of micro-credits from 0 to ${MAX_CREDITS}.`);
  }
  return value as Credits;
}

export interface CheckedHistory {
  limit: number;
  beforeSeq: number | null;
  kinds: LedgerKind[] | null;
  from: number | null;
  to: number | null;
}

function optionalInt(value: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw bad(`${what} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

export function checkHistory(input: unknown): CheckedHistory {
  const raw = input === undefined ? {} : record(input, "history query");
  let kinds: LedgerKind[] | null = null;
  if (raw.kinds !== undefined && raw.kinds !== null) {
    if (!Array.isArray(raw.kinds) || raw.kinds.some((k) => !(ledgerKinds as readonly unknown[]).includes(k))) {
      throw bad(`kinds must list ledger kinds: ${ledgerKinds.join(", ")}.`);
    }
    kinds = [...new Set(raw.kinds as LedgerKind[])];
  }
  return {
    limit: optionalInt(raw.limit, "limit", 1, MAX_HISTORY_LIMIT) ?? 50,
    beforeSeq: optionalInt(raw.beforeSeq, "beforeSeq", 1),
    kinds,
    from: optionalInt(raw.from, "from", 0),
    to: optionalInt(raw.to, "to", 0),
  };
}
