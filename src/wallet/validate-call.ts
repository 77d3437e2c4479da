/**
 * Input checks for metered calls (metering.ts), as validate.ts does for the
 * plain operations: RPC delivers whatever a caller sent, and the wallet is
 * the last line of defense for money.
 */
import { isErrorCode } from "../errors";
import { TesseraError } from "../errors";
import type { Caps } from "./keys";
import type { CallFacts, Due, ReplayScope, StoredAnswer, WorkResult } from "./types";
import { checkCredits, checkId, checkSale, checkThreshold } from "./validate";

const CHANNELS = new Set(["api", "app", "mcp"]);
/** Replay bodies up to this many characters are kept in the wallet; larger ones go to R2 first. */
export const MAX_INLINE_REPLAY_CHARS = 256 * 1024;

function bad(message: string): TesseraError {
  return new TesseraError("BAD_REQUEST", message);
}

function int(value: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) throw bad(`${what} must be a whole number from ${min}.`);
  return value;
}

export function checkCallFacts(input: unknown): CallFacts {
  const c = (input ?? {}) as Record<string, unknown>;
  if (c.productType !== "asset" && c.productType !== "endpoint" && c.productType !== null) throw bad("call.productType must be asset, endpoint or null.");
  if (typeof c.channel !== "string" || !CHANNELS.has(c.channel)) throw bad("call.channel must be api, app or mcp.");
  if (typeof c.method !== "string" || c.method.length === 0 || c.method.length > 10) throw bad("call.method must be an HTTP method.");
  return {
    requestId: checkId(c.requestId, "call.requestId"),
    keyId: checkId(c.keyId, "call.keyId"),
    productId: checkId(c.productId, "call.productId"),
    productType: c.productType,
    sellerCompanyId: c.sellerCompanyId === null ? null : checkId(c.sellerCompanyId, "call.sellerCompanyId"),
    channel: c.channel as CallFacts["channel"],
    method: c.method,
    startedAt: int(c.startedAt, "call.startedAt", 0),
  };
}

export function checkWorkResult(input: unknown): WorkResult {
  const r = (input ?? {}) as Record<string, unknown>;
  if (r.ok === true) return { ok: true, rows: r.rows === null || r.rows === undefined ? null : int(r.rows, "result.rows", 0) };
  if (r.ok !== false || !isErrorCode(r.code)) throw bad("result must be { ok: true } or { ok: false, status, code }.");
  return { ok: false, status: int(r.status, "result.status", 400, 599), code: r.code };
}

export function checkDue(input: unknown): Due | null {
  if (input === null || input === undefined) return null;
  const d = input as Record<string, unknown>;
  return { credits: checkCredits(d.credits), sale: checkSale(d.sale) };
}

export function checkReplay(input: unknown): ReplayScope | undefined {
  if (input === null || input === undefined) return undefined;
  const r = input as Record<string, unknown>;
  if (typeof r.requestHash !== "string" || r.requestHash.length === 0 || r.requestHash.length > 4096) throw bad("replay.requestHash is required.");
  return { scope: checkId(r.scope, "replay.scope"), requestHash: r.requestHash };
}

export function checkAnswer(input: unknown): StoredAnswer | undefined {
  if (input === null || input === undefined) return undefined;
  const a = input as Record<string, unknown>;
  const answer: StoredAnswer = { status: int(a.status, "answer.status", 200, 299) };
  if (typeof a.body === "string") {
    if (a.body.length > MAX_INLINE_REPLAY_CHARS) throw bad("A replay body this large goes to R2 (answer.bodyRef).");
    answer.body = a.body;
  } else if (typeof a.bodyRef === "string") {
    answer.bodyRef = checkId(a.bodyRef, "answer.bodyRef");
  } else {
    throw bad("answer needs a body or a bodyRef.");
  }
  return answer;
}

export function checkDuration(value: unknown): number {
  return int(value, "durationMs", 0, 86_400_000);
}

/** Caps: each a whole number of micro-credits (0 allowed: nothing may be spent), or null for none. */
export function checkCaps(input: unknown): Caps {
  const c = (input ?? {}) as Record<string, unknown>;
  const cap = (value: unknown) => (value === null || value === undefined ? null : checkThreshold(value));
  return { perDay: cap(c.perDay), perMonth: cap(c.perMonth), total: cap(c.total) };
}
