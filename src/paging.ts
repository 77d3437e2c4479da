/**
 * The one paging shape of every list procedure: in `{ limit?, cursor? }`, out
 * `{ items, nextCursor }`. A cursor is opaque to callers: the base64url of
 * the list's name and the last item's sort key, read back only by the list
 * that wrote it. Lists page by keyset (the sort key, unique with an id at its
 * end), so page 50 costs what page 1 does and no row is skipped or repeated
 * when rows arrive between pages. Cursors need no signature: every list is
 * scoped to its caller in the query itself, so a made-up key only moves
 * where a page of the caller's own rows starts.
 */
import { and, eq, gt, lt, or, type Column, type SQL } from "drizzle-orm";
import { z } from "zod";
import { TesseraError } from "./errors";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The paging input, with a list's own default and largest page size. */
export function pageInput(defaultLimit = 50, maxLimit = 200) {
  return {
    limit: z.number().int().min(1).max(maxLimit).default(defaultLimit),
    cursor: z.string().min(1).max(1000).optional(),
  };
}

/** A list input: its filters and the paging fields, all optional (`.query()` alone is page 1). */
export function listInput<S extends z.ZodRawShape>(filters: S, defaultLimit = 50, maxLimit = 200) {
  // prefault: an absent input is parsed as {}, so the defaults inside apply.
  return z.object({ ...filters, ...pageInput(defaultLimit, maxLimit) }).prefault({} as never);
}

export interface Cursor<K> {
  encode(key: K): string;
  /** The key a cursor of this list carries; anything else is BAD_REQUEST. */
  decode(cursor: string | undefined): K | undefined;
}

const BAD_CURSOR = "That cursor is not one this list gave: pass the nextCursor of the previous page unchanged.";

/** The cursor of one list, its sort key checked by `key` on the way in. */
export function listCursor<K extends z.ZodType>(list: string, key: K): Cursor<z.infer<K>> {
  return {
    encode: (k) => base64url(JSON.stringify([list, k])),
    decode(cursor) {
      if (cursor === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(fromBase64url(cursor));
      } catch {
        throw new TesseraError("BAD_REQUEST", BAD_CURSOR);
      }
      if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== list) throw new TesseraError("BAD_REQUEST", BAD_CURSOR);
      const checked = key.safeParse(parsed[1]);
      if (!checked.success) throw new TesseraError("BAD_REQUEST", BAD_CURSOR);
      return checked.data;
    },
  };
}

/** Sort keys most lists use: newest first by time, ties broken by id. */
export const timeAndId = z.tuple([z.number().int().nonnegative(), z.string().min(1).max(200)]);

/**
 * One page: `fetch` is asked for one row more than the page holds, to know
 * whether another page follows; the cursor is the last kept row's key.
 */
export async function paged<T, K>(
  input: { limit: number; cursor?: string | undefined },
  cursor: Cursor<K>,
  fetch: (after: K | undefined, limit: number) => Promise<T[]> | T[],
  keyOf: (row: T) => K,
): Promise<Page<T>> {
  const rows = await fetch(cursor.decode(input.cursor), input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last !== undefined ? cursor.encode(keyOf(last)) : null };
}

/** The same page with its items turned into views. */
export async function mapPage<T, V>(page: Page<T>, view: (items: T[]) => V[] | Promise<V[]>): Promise<Page<V>> {
  return { items: await view(page.items), nextCursor: page.nextCursor };
}

/**
 * The keyset condition of a two-column sort (a sort key and an id): rows
 * strictly past `key` in `dir` order. Undefined on page 1.
 */
export function pastKey(dir: "asc" | "desc", [first, second]: [Column, Column], key: readonly [unknown, unknown] | undefined): SQL | undefined {
  if (!key) return undefined;
  const past = dir === "desc" ? lt : gt;
  return or(past(first, key[0]), and(eq(first, key[0]), past(second, key[1])));
}

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
