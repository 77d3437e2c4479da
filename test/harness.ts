import { env, exports } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { createTesseraClient, errorCode, type TesseraClient } from "../client/src";
import { wallet } from "../src/wallet/client";

export const BASE = "http://tessera.test";

/** The worker under test, as a fetch. */
export const workerFetch: typeof fetch = (input, init) => exports.default.fetch(new Request(input, init));

export function client(apiKey?: string): TesseraClient {
  return createTesseraClient(BASE, { apiKey, fetch: workerFetch });
}

export async function signUp(name = "Acme Analytics", roles: { isBuyer?: boolean; isSeller?: boolean } = {}) {
  const { company, apiKey } = await client().companies.signUp.mutate({ name, isBuyer: true, ...roles });
  return { company, key: apiKey.secret, api: client(apiKey.secret) };
}

export async function adminKey(): Promise<string> {
  const key = await client().admin.bootstrap.mutate({ token: "test-admin-token" });
  return key.secret;
}

/** A company with `credits` granted by an admin. */
export async function fundedCompany(credits: number, name = "Buyer Co") {
  const company = await signUp(name);
  if (credits > 0) {
    await client(await adminKey()).admin.grant.mutate({ companyId: company.company.id, credits, reason: "test funds" });
  }
  return company;
}

/** A REST call to the worker with an optional API key; returns status and parsed JSON. */
export async function rest(path: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("x-api-key", init.key);
  const res = await workerFetch(`${BASE}${path}`, { ...init, headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** Asserts that `promise` fails with the Tessera error `code`. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}, but the call succeeded`).toBeDefined();
  expect(errorCode(error) ?? (error as Error).message).toBe(code);
}

/**
 * Sends everything the company's wallet has not yet sent and waits until the
 * feed has drained: D1 then holds exactly the wallet's ledger and call log.
 */
export async function drained(companyId: string): Promise<void> {
  const w = wallet(env, companyId);
  await vi.waitFor(
    async () => {
      expect((await w.flush()).pending).toBe(0);
      const audit = await w.audit();
      const copied = await env.DB.prepare(
        "SELECT (SELECT count(*) FROM transactions WHERE company_id = ?1) AS entries, (SELECT count(*) FROM request_logs WHERE company_id = ?1) AS calls",
      )
        .bind(companyId)
        .first<{ entries: number; calls: number }>();
      expect(copied).toEqual({ entries: audit.entries, calls: audit.calls });
    },
    { timeout: 20_000, interval: 50 },
  );
}
