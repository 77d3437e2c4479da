import { getDataSource, type DataSource } from "../data";
import type { RunContext } from "./run";

/** What running a product needs from the Worker's environment. */
export function runContext(env: Env, requestId: string): RunContext {
  return {
    datasets: env.DATASETS,
    fetch: (request) => fetch(request),
    requestId,
    allowInsecureOrigins: env.ALLOW_INSECURE_ORIGINS === "1",
    secrets: env,
  };
}

// Data sources never change once made (a new upload is a new source), so an
// isolate may keep them; the TTL bounds how long a deleted one lingers.
const TTL_MS = 60_000;
const sources = new Map<string, { source: DataSource; until: number }>();

export async function sourceOf(env: Env, id: string): Promise<DataSource> {
  const now = Date.now();
  const hit = sources.get(id);
  if (hit && hit.until > now) return hit.source;
  const source = await getDataSource({ catalog: env.DB }, id);
  if (sources.size > 1_000) sources.clear();
  sources.set(id, { source, until: now + TTL_MS });
  return source;
}
