/**
 * Routes for `npm run bench` only, answered when the BENCH var is "1"
 * (`wrangler dev --var BENCH:1`); otherwise they don't exist.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { TesseraError } from "../errors";
import { getEndpoint } from "../rest/v1/endpoints";
import { wallet } from "../wallet/client";
import { benchData } from "./data";
import { benchWallet } from "./wallet";

export const bench = new Hono<AppEnv>();

bench.use("/__bench/*", async (c, next) => {
  if (c.env.BENCH !== "1") throw new TesseraError("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`);
  await next();
});

/** The same endpoint query, served with no wallet: the baseline the metered route is measured against. */
bench.get("/__bench/unmetered/endpoints/:endpointId", (c) => getEndpoint(c, { unmetered: true }));

/** A company's books after the run: flushes its outbox so D1 can be compared with the wallet. */
bench.get("/__bench/books/:companyId", async (c) => {
  const w = wallet(c.env, c.req.param("companyId"));
  await w.flush();
  const [audit, charges] = await Promise.all([
    w.audit(),
    c.env.DB.prepare("SELECT count(*) AS n FROM transactions WHERE company_id = ? AND kind = 'charge'")
      .bind(c.req.param("companyId"))
      .first<{ n: number }>(),
  ]);
  return c.json({ audit, chargesInD1: charges?.n ?? 0, outbox: await w.outboxSize() });
});

bench.route("/", benchWallet);
bench.route("/", benchData);
