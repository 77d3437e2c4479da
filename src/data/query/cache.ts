import { toHex } from "../../crypto";

/**
 * Where pages are kept: the Cache API, under URLs on the Worker's own host
 * (as Cloudflare recommends for cache keys). With `defer` (the request's
 * waitUntil) a page is stored after the answer leaves; without, before.
 */
export type PageCache = { cache: Cache; origin: string; defer?: (work: Promise<unknown>) => void };

/** A page is kept a day: it can never go stale (datasets don't change), the TTL only bounds what pages of deleted datasets occupy. */
const MAX_AGE_S = 86_400;

/**
 * Serves an identical page (or aggregate) from the Cache API instead of the
 * dataset's object, so a popular dataset is not capped at what one object
 * serves. The key is the dataset and the compiled statement with its
 * keyset position, so a hit is exactly what the object would answer:
 * datasets are immutable once ready. A dataset is deleted only when no
 * product uses it, and a product's data source never changes, so no call
 * can ask for a deleted dataset's pages again; they expire with the TTL.
 * The Cache API is per data center and does nothing on workers.dev (see
 * docs/SCALE.md).
 */
export async function cached<T>(cache: PageCache | null | undefined, sourceId: string, statement: unknown, run: () => Promise<T>): Promise<T> {
  if (!cache) return run();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(statement)));
  const key = `${cache.origin}/__dataset-pages/${sourceId}/${toHex(new Uint8Array(digest))}`;
  const hit = await cache.cache.match(key).catch(() => undefined);
  if (hit) return (await hit.json()) as T;
  const value = await run();
  const response = new Response(JSON.stringify(value), {
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${MAX_AGE_S}` },
  });
  const put = cache.cache.put(key, response).catch((e: unknown) => console.error("page cache put failed", e));
  if (cache.defer) cache.defer(put);
  else await put;
  return value;
}
