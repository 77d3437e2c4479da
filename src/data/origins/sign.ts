import { sha256Hex, timingSafeEqual, toHex } from "../../crypto";

/** What an origin's sealed signing secret is bound to (src/crypto.ts): its row. */
export function originSecretContext(sourceId: string): string {
  return `data_sources.secret:${sourceId}`;
}

/**
 * `x-tessera-signature: t=<unix seconds>,v1=<hex>` where
 *   v1 = hex(HMAC-SHA256(secret, `${t}.${METHOD}.${pathAndQuery}.${hex(SHA-256(body))}`))
 * `pathAndQuery` is the request target exactly as sent (`/rows?region=EU`),
 * and the body of a GET is empty. See README.md beside this file for how a
 * seller checks it.
 */
export async function signOriginRequest(
  secret: string,
  req: { method: string; pathAndQuery: string; body?: string; timestamp: number },
): Promise<string> {
  const v1 = await hmacHex(secret, signedText(req.timestamp, req.method, req.pathAndQuery, await sha256Hex(req.body ?? "")));
  return `t=${req.timestamp},v1=${v1}`;
}

/**
 * The check a seller's Worker can run (and the one the README describes):
 * recompute v1, compare in constant time, and refuse stale timestamps.
 */
export async function verifyOriginSignature(
  secret: string,
  header: string,
  req: { method: string; pathAndQuery: string; body?: string },
  opts: { nowSeconds?: number; toleranceSeconds?: number } = {},
): Promise<boolean> {
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.trim().split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isSafeInteger(t) || typeof parts.v1 !== "string") return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = await hmacHex(secret, signedText(t, req.method, req.pathAndQuery, await sha256Hex(req.body ?? "")));
  return timingSafeEqual(expected, parts.v1);
}

function signedText(t: number, method: string, pathAndQuery: string, bodyHash: string): string {
  return `${t}.${method.toUpperCase()}.${pathAndQuery}.${bodyHash}`;
}

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
}
