import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { MICRO } from "../../src/money";
import { wallet } from "../../src/wallet/client";

/**
 * Polls `check` until it settles: it is not yet while it throws or returns
 * `false` or `null`, and settles with anything else (an assertion callback
 * returning nothing settles once its assertions pass). Work done after a
 * response (waitUntil, queues, alarms) lands soon, but not at once.
 */
export async function eventually<T>(check: () => Promise<T> | T, what = "a condition", timeoutMs = 10_000): Promise<Exclude<T, false | null>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await check();
      if (value !== false && value !== null) return value as Exclude<T, false | null>;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) {
      if (failure) throw failure;
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Sends everything the company's wallet has not yet sent and waits until the
 * feed has drained: D1 then holds exactly the wallet's ledger and call log.
 */
export async function drained(companyId: string): Promise<void> {
  const w = wallet(env, companyId);
  await eventually(
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
    `the feed of ${companyId}`,
    20_000,
  );
}

/** Everything the wallet and D1 say about a company's money, for invariant checks (after the feed drained). */
export async function books(companyId: string) {
  const w = wallet(env, companyId);
  await drained(companyId);
  const [balance, audit] = await Promise.all([w.balance(), w.audit()]);
  const charges = await env.DB.prepare(
    "SELECT count(*) AS n, coalesce(sum(amount), 0) AS total FROM transactions WHERE company_id = ? AND kind = 'charge'",
  )
    .bind(companyId)
    .first<{ n: number; total: number }>();
  const billedLogs = await env.DB.prepare(
    "SELECT count(*) AS n, coalesce(sum(credits), 0) AS credits FROM request_logs WHERE company_id = ? AND billed = 1",
  )
    .bind(companyId)
    .first<{ n: number; credits: number }>();
  return { balance, audit, charges: charges!, billedLogs: billedLogs! };
}

/** Available credits in the company's wallet, in whole credits. */
export async function available(companyId: string): Promise<number> {
  return (await wallet(env, companyId).balance()).available / MICRO;
}
