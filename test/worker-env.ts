import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createTesseraClient, type TesseraClient } from "../client/src";
import worker from "../src/index";
import { BASE } from "./harness";

/**
 * The worker under test with some bindings changed (a secret unset, another
 * key ring), for what the suites' own bindings can't show. Durable Objects
 * keep the suites' bindings.
 */
export function fetchWithEnv(overrides: Partial<Record<keyof Env, unknown>>): typeof fetch {
  const changed = { ...env, ...overrides } as Env;
  return async (input, init) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(input, init) as Parameters<typeof worker.fetch>[0], changed, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

export function clientWithEnv(overrides: Partial<Record<keyof Env, unknown>>, apiKey: string): TesseraClient {
  return createTesseraClient(BASE, { apiKey, fetch: fetchWithEnv(overrides) });
}
