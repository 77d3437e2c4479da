import { TesseraError } from "../../errors";

/**
 * Page cursors are opaque to buyers: base64url of `{ r, e, m }`, where `r`
 * is the rowid of the last row of the page (the keyset position: with the
 * sort key read back by that rowid it is the last row's full sort key, since
 * a dataset never changes), `e` the endpoint that issued it, and `m` an
 * HMAC-SHA256, keyed by the CURSOR_SECRET binding, of both with the
 * fingerprint of the query: the endpoint, the dataset, the spec's
 * statement, the filter values and the sort. A cursor
 * edited by hand, forged without the secret, or replayed with other filters,
 * another sort or on another endpoint no longer matches and is refused
 * (INVALID_FILTER, so never billed).
 */
export async function encodeCursor(after: number, endpointId: string, fingerprint: string, secret: string): Promise<string> {
  const m = base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await keyOf(secret), message(after, fingerprint))));
  return base64url(new TextEncoder().encode(JSON.stringify({ r: after, e: endpointId, m })));
}

/** The rowid a cursor points after; INVALID_FILTER if it is malformed or belongs to another query. */
export async function decodeCursor(cursor: string, endpointId: string, fingerprint: string, secret: string): Promise<number> {
  let parsed: unknown;
  try {
    if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("shape");
    parsed = JSON.parse(new TextDecoder().decode(fromBase64url(cursor)));
  } catch {
    throw invalidCursor("is not a cursor this API issued");
  }
  const fields = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  const { r, e, m } = (parsed ?? {}) as { r?: unknown; e?: unknown; m?: unknown };
  if (fields.length !== 3 || typeof r !== "number" || !Number.isSafeInteger(r) || r < 1 || typeof e !== "string" || typeof m !== "string") {
    throw invalidCursor("is not a cursor this API issued");
  }
  if (e !== endpointId) throw invalidCursor("was issued by another endpoint");
  let mac: Uint8Array;
  try {
    mac = fromBase64url(m);
  } catch {
    throw invalidCursor("is not a cursor this API issued");
  }
  const valid = await crypto.subtle.verify("HMAC", await keyOf(secret), mac, message(r, fingerprint));
  if (!valid) throw invalidCursor("was issued for other filters or another sort");
  return r;
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key, imported once per isolate. */
function keyOf(secret: string): Promise<CryptoKey> {
  if (!secret) throw new TesseraError("INTERNAL", "Paging is not configured on this server.");
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

function message(after: number, fingerprint: string): Uint8Array {
  return new TextEncoder().encode(`${after}\n${fingerprint}`);
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function invalidCursor(why: string): TesseraError {
  return new TesseraError("INVALID_FILTER", `Parameter "cursor" ${why}.`, { param: "cursor" });
}
