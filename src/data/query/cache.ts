import { toHex } from "../../crypto";

/**
 * Where pages are kept: the Cache API, under URLs on the Worker's own host
 * (as Cloudflare recommends for cache keys). With `defer` (the request's
 * waitUntil) a page is stored after the answer leaves; without, before.
 * `always` uses the cache for every dataset, hot or not (tests, the bench).
 */
export type PageCache = { cache: Cache; origin: string; defer?: (work: Promise<unknown>) => void; always?: boolean };

/** A page is kept a day: it can never go stale (datasets don't change), the TTL only bounds what pages of deleted datasets occupy. */
const MAX_AGE_S = 86_400;
/** How long a dataset stays hot in this isolate after its object last said so. */
const HOT_FOR_MS = 60_000;
const MAX_HOT = 1_000;
const hotUntil = new Map<string, number>();

/**
 * Serves an identical page (or aggregate) of a hot dataset from the Cache
 * API instead of its object, so a popular dataset is not capped at what one
 * object serves. A dataset is hot while its object says so (it counts its
 * reads: `HOT_READS_PER_S` in store/dataset.ts); other datasets skip the
 * cache, since for them a cache lookup costs more than it saves.
 *
 * The key is the dataset and the compiled statement with its keyset
 * position, so a hit is exactly what the object would answer: datasets are
 * immutable once ready. A dataset is deleted only when no product uses it,
 * and a product's data source never changes, so no call can ask for a
 * deleted dataset's pages again; they expire with the TTL. The Cache API is
 * per data center and does nothing on workers.dev (see docs/SCALE.md).
 */
export async function cached<T extends { hot: boolean }>(
  cache: PageCache | null | undefined,
  sourceId: string,
  statement: unknown,
  run: () => Promise<T>,
): Promise<T> {
  if (!cache) return run();
  const now = Date.now();
  if (!cache.always && (hotUntil.get(sourceId) ?? 0) <= now) {
    const value = await run();
    if (!value.hot) return value;
    markHot(sourceId, now);
    await store(cache, await keyOf(cache, sourceId, statement), value);
    return value;
  }
  const key = await keyOf(cache, sourceId, statement);
  const hit = await cache.cache.match(key).catch(() => undefined);
  if (hit) return (await hit.json()) as T;
  const value = await run();
  if (value.hot) markHot(sourceId, now);
  await store(cache, key, value);
  return value;
}

async function keyOf(cache: PageCache, sourceId: string, statement: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(statement)));
  return `${cache.origin}/__dataset-pages/${sourceId}/${toHex(new Uint8Array(digest))}`;
}

async function store(cache: PageCache, key: string, value: unknown): Promise<void> {
  const response = new Response(JSON.stringify(value), {
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${MAX_AGE_S}` },
  });
  const put = cache.cache.put(key, response).catch((e: unknown) => console.error("page cache put failed", e));
  if (cache.defer) cache.defer(put);
  else await put;
}

function markHot(sourceId: string, now: number): void {
  hotUntil.delete(sourceId);
  hotUntil.set(sourceId, now + HOT_FOR_MS);
  if (hotUntil.size > MAX_HOT) hotUntil.delete(hotUntil.keys().next().value!);
}
