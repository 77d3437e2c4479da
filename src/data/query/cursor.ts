import { TesseraError } from "../../errors";

/**
 * Page cursors are opaque to buyers: base64url of `{ o: offset, h }`, where
 * `h` hashes the offset together with the source, the filter values and the
 * sort. A cursor replayed with other filters (or edited by hand) no longer
 * matches and is refused, so a page can't silently come from another query.
 *
 * Offsets rather than keysets: hosted datasets never change after upload and
 * every order ends in `rowid`, so an offset names the same row every time,
 * with no gaps or repeats, and works for any sort the seller allows.
 */
export async function encodeCursor(offset: number, fingerprint: string): Promise<string> {
  const payload = JSON.stringify({ o: offset, h: await mac(offset, fingerprint) });
  return base64url(new TextEncoder().encode(payload));
}

/** The offset a cursor points at; INVALID_FILTER if it is malformed or belongs to another query. */
export async function decodeCursor(cursor: string, fingerprint: string): Promise<number> {
  let parsed: unknown;
  try {
    if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("shape");
    parsed = JSON.parse(new TextDecoder().decode(fromBase64url(cursor)));
  } catch {
    throw invalidCursor("is not a cursor this API issued");
  }
  const { o, h } = (parsed ?? {}) as { o?: unknown; h?: unknown };
  if (typeof o !== "number" || !Number.isSafeInteger(o) || o < 0 || typeof h !== "string") {
    throw invalidCursor("is not a cursor this API issued");
  }
  if (h !== (await mac(o, fingerprint))) throw invalidCursor("was issued for other filters or another sort");
  return o;
}

/** A stable text for the query a cursor belongs to. */
export function fingerprintOf(sourceId: string, values: Map<string, unknown>, sort: string): string {
  const entries = [...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([sourceId, entries, sort]);
}

async function mac(offset: number, fingerprint: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${offset}\n${fingerprint}`));
  return base64url(new Uint8Array(digest).slice(0, 12));
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
