import { waitUntil } from "cloudflare:workers";
import { getDataSource, type DataSource } from "../data";
import type { RunContext } from "./run";
import type { Services } from "../services";

/** What running a product needs from the services. Building it reads nothing. */
export function runContext(s: Pick<Services, "env" | "datasets">, requestId: string): RunContext {
  return {
    datasets: s.datasets,
    cursorSecret: s.env.CURSOR_SECRET,
    cache: { cache: caches.default, origin: new URL(s.env.PUBLIC_URL).origin, defer: waitUntil },
    fetch: (request) => fetch(request),
    requestId,
    allowInsecureOrigins: s.env.ALLOW_INSECURE_ORIGINS === "1",
    secrets: s.env,
  };
}

/**
 * Data sources kept in the isolate, so a warm call reads no D1 for them.
 *
 * The rule: a fact that can never change is kept without a TTL; a fact that
 * may change is kept for a TTL, or not at all.
 * - A ready hosted dataset is immutable: its columns, row count and object
 *   (named by its id) are fixed when its upload ends, and a new upload is a
 *   new data source. Kept until evicted (least recently used, past MAX_KEPT).
 * - An upload still running changes with every part: never kept.
 * - An HTTP origin's facts belong to its own module: kept TTL_MS.
 * Deletion: a data source can be deleted only when no product uses it, and a
 * product's data source never changes, so no call can reach a deleted
 * source through a product; `forgetSource` drops it from this isolate.
 */
const TTL_MS = 60_000;
const MAX_KEPT = 1_000;
const kept = new Map<string, { source: DataSource; until: number }>();

export async function sourceOf(s: Pick<Services, "env">, id: string): Promise<DataSource> {
  const now = Date.now();
  const hit = kept.get(id);
  if (hit && hit.until > now) {
    kept.delete(id); // re-insert: Map order is the recency order
    kept.set(id, hit);
    return hit.source;
  }
  const source = await getDataSource({ database: s.env.DB }, id);
  const until = source.kind === "dataset" ? (source.status === "ready" ? Infinity : 0) : now + TTL_MS;
  if (until > now) {
    kept.delete(id);
    kept.set(id, { source, until });
    if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  }
  return source;
}

/** Drops a deleted source from this isolate's cache. */
export function forgetSource(id: string): void {
  kept.delete(id);
}
