import { exports } from "cloudflare:workers";
import { createTesseraClient, type TesseraClient } from "../../client/src";

export const BASE = "http://tessera.test";

/** The worker under test, as a fetch. */
export const workerFetch: typeof fetch = (input, init) => exports.default.fetch(new Request(input, init));

/** The typed client over the worker under test, as `apiKey` (anonymous without one). */
export function client(apiKey?: string): TesseraClient {
  return createTesseraClient(BASE, { apiKey, fetch: workerFetch });
}

/** A REST call to the worker with an optional API key; returns status and parsed JSON. */
export async function rest(path: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("x-api-key", init.key);
  const res = await workerFetch(`${BASE}${path}`, { ...init, headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** A platform admin's API key (bootstrapped with the test token). */
export async function adminKey(): Promise<string> {
  const key = await client().admin.bootstrap.mutate({ token: "test-admin-token" });
  return key.secret;
}
