import { z } from "zod";
import { openSecret, type SecretsEnv } from "../../crypto";
import { TesseraError } from "../../errors";
import type { OriginSource } from "../types";
import { originSecretContext, signOriginRequest } from "./sign";
import { checkOriginUrl } from "./url";

/** Whatever sends the request: `fetch` in production, any `(Request) => Response` (a Hono app's `fetch`) in tests. */
export type OriginFetch = (request: Request) => Response | Promise<Response>;

export const DEFAULT_ORIGIN_TIMEOUT_MS = 5_000;
export const MAX_ORIGIN_TIMEOUT_MS = 30_000;
export const MIN_ORIGIN_TIMEOUT_MS = 50;
/** Larger answers are refused rather than buffered. */
const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/** Query-string values: repeated keys for lists (`region=EU&region=US`). */
export type OriginParams = Record<string, string | number | boolean | (string | number)[]>;

export type OriginCallOptions = {
  requestId: string;
  timeoutMs?: number;
  /** `rows` for endpoints (`{ rows, next_cursor? }`), `value` for calculations (`{ value }`). */
  expect?: "rows" | "value";
  /** Passed on as `cursor` / `page_size`: the origin pages its own rows. */
  cursor?: string | null;
  pageSize?: number;
  allowInsecureOrigins?: boolean;
  /** Opens the source's sealed signing secret. */
  secrets: SecretsEnv;
  now?: () => number;
};

const rowsAnswer = z.object({
  rows: z.array(z.record(z.string(), z.unknown())).max(1000),
  next_cursor: z.string().max(1000).nullish(),
});
const valueAnswer = z.object({
  value: z.union([z.number(), z.string().max(10_000), z.null()]),
  kind: z.enum(["number", "string", "percentage"]).optional(),
});

export type OriginRows = { rows: Record<string, unknown>[]; nextCursor: string | null };
export type OriginValue = { value: number | string | null; kind: "number" | "string" | "percentage" };

/**
 * Calls a seller's HTTP origin: GET with the buyer's params, signed, within a
 * timeout (default 5 s, at most 30 s). Its failures are the seller's and map
 * to ORIGIN_ERROR (non-2xx, unreachable, malformed answer) or ORIGIN_TIMEOUT,
 * so the caller releases the buyer's hold.
 */
export async function callOrigin(fetcher: OriginFetch, source: OriginSource, params: OriginParams, opts: OriginCallOptions & { expect: "value" }): Promise<OriginValue>;
export async function callOrigin(fetcher: OriginFetch, source: OriginSource, params: OriginParams, opts: OriginCallOptions): Promise<OriginRows>;
export async function callOrigin(
  fetcher: OriginFetch,
  source: OriginSource,
  params: OriginParams,
  opts: OriginCallOptions,
): Promise<OriginRows | OriginValue> {
  // Again at call time: the row may predate today's rules. A refused host is
  // never contacted, so its answer (or silence) can't be learned from here.
  const url = checkOriginUrl(source.url, { allowInsecureOrigins: opts.allowInsecureOrigins, label: "seller's origin URL" }, "ORIGIN_ERROR");
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  if (opts.cursor) url.searchParams.set("cursor", opts.cursor);
  if (opts.pageSize !== undefined) url.searchParams.set("page_size", String(opts.pageSize));

  const pathAndQuery = url.pathname + url.search;
  const timestamp = Math.floor((opts.now?.() ?? Date.now()) / 1000);
  const secret = await openSecret(opts.secrets, source.secret, originSecretContext(source.id));
  const signature = await signOriginRequest(secret, { method: "GET", pathAndQuery, timestamp });
  const timeoutMs = clampTimeout(opts.timeoutMs ?? source.timeoutMs);
  const signal = AbortSignal.timeout(timeoutMs);
  const request = new Request(url, {
    method: "GET",
    headers: {
      accept: "application/json",
      "user-agent": "Tessera-Origin/1",
      "x-tessera-signature": signature,
      "x-tessera-request-id": opts.requestId,
    },
    redirect: "manual", // the signature covers this URL only
    signal,
  });

  // Race the whole exchange, body included, so a fetcher that ignores the
  // signal or an origin that stalls mid-body still ends on time.
  const timedOut = new Promise<never>((_, reject) => {
    const fail = () => reject(new TesseraError("ORIGIN_TIMEOUT", `The seller's origin did not answer within ${timeoutMs} ms.`));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  const body = await Promise.race([exchange(fetcher, request, signal), timedOut]);
  return parseAnswer(body, opts.expect ?? "rows");
}

async function exchange(fetcher: OriginFetch, request: Request, signal: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetcher(request);
  } catch (error) {
    if (signal.aborted) throw new TesseraError("ORIGIN_TIMEOUT", "The seller's origin did not answer in time.");
    throw new TesseraError("ORIGIN_ERROR", "The seller's origin could not be reached.");
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => {});
    throw new TesseraError("ORIGIN_ERROR", `The seller's origin answered ${response.status}.`, { status: response.status });
  }
  return readLimited(response);
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      throw new TesseraError("ORIGIN_ERROR", "The seller's origin sent a malformed answer (larger than 5 MB).");
    }
    text += decoder.decode(value, { stream: true });
  }
}

function parseAnswer(body: string, expect: "rows" | "value"): OriginRows | OriginValue {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw malformed("not JSON");
  }
  if (expect === "value") {
    const answer = valueAnswer.safeParse(json);
    if (!answer.success) throw malformed('expected { "value": number | string }');
    const { value, kind } = answer.data;
    return { value, kind: kind ?? (typeof value === "string" ? "string" : "number") };
  }
  const answer = rowsAnswer.safeParse(json);
  if (!answer.success) throw malformed('expected { "rows": [objects], "next_cursor"?: string }');
  return { rows: answer.data.rows, nextCursor: answer.data.next_cursor ?? null };
}

function malformed(why: string): TesseraError {
  return new TesseraError("ORIGIN_ERROR", `The seller's origin sent a malformed answer (${why}).`);
}

export function clampTimeout(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_ORIGIN_TIMEOUT_MS;
  return Math.min(MAX_ORIGIN_TIMEOUT_MS, Math.max(MIN_ORIGIN_TIMEOUT_MS, Math.round(ms)));
}
