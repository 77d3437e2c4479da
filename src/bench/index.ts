/**
 * Routes for `npm run bench` only, answered when the BENCH var is "1"
 * (`wrangler dev --var BENCH:1`); otherwise they don't exist.
 */
import { Hono } from "hono";
import { pushStanding } from "../connect/standing";
import type { AppEnv } from "../context";
import { TesseraError } from "../errors";
import { unmeteredPage } from "./unmetered";
import { d1Queries } from "./d1-count";
import { benchData } from "./data";
import { benchWallet } from "./wallet";

export const bench = new Hono<AppEnv>();

bench.use("/__bench/*", async (c, next) => {
  if (c.env.BENCH !== "1") throw new TesseraError("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`);
  await next();
});

/** The same endpoint query, served with no wallet: the baseline the metered route is measured against. */
bench.get("/__bench/unmetered/endpoints/:endpointId", unmeteredPage);

/** Lets a seller sell without Stripe (the bench starts no local Stripe): what a verified Connect account does. */
bench.post("/__bench/can-sell/:companyId", async (c) => {
  const companyId = c.req.param("companyId");
  await c.env.DB.prepare("UPDATE companies SET can_sell = 1 WHERE id = ?").bind(companyId).run();
  await pushStanding(c.var.services, companyId);
  return c.json({ companyId, canSell: true });
});

/** D1 queries made since the last reset, by the fetch handler and by the queue consumers of this isolate. */
bench.get("/__bench/d1", (c) => c.json(d1Queries));
bench.post("/__bench/d1/reset", (c) => {
  d1Queries.fetch = 0;
  d1Queries.queue = 0;
  return c.json(d1Queries);
});

/**
 * A company's books after the run: sends what its wallet has not sent and
 * waits (up to 60 s) for the queues to drain, then compares D1's copy with
 * the wallet: ledger entries, charges, and request-log rows.
 */
bench.get("/__bench/books/:companyId", async (c) => {
  const companyId = c.req.param("companyId");
  const w = c.var.services.wallet(companyId);
  await w.flush();
  const audit = await w.audit();
  let copy = { entries: 0, charges: 0, calls: 0 };
  for (let waited = 0; waited < 60_000; waited += 250) {
    copy = (await c.env.DB.prepare(
      `SELECT (SELECT count(*) FROM transactions WHERE company_id = ?1) AS entries,
              (SELECT count(*) FROM transactions WHERE company_id = ?1 AND kind = 'charge') AS charges,
              (SELECT count(*) FROM request_logs WHERE company_id = ?1) AS calls`,
    )
      .bind(companyId)
      .first<typeof copy>())!;
    if (copy.entries === audit.entries && copy.calls === audit.calls) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return c.json({ audit, copy, outbox: await w.outboxSize(), storage: await w.storageStats() });
});

bench.route("/", benchWallet);
bench.route("/", benchData);
