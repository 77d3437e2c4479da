import { Hono } from "hono";
import type { AppEnv } from "../app";
import { TesseraError } from "../errors";
import { reportFilename } from "./deliver";
import { earningsSummary } from "./earnings";
import { getPayout } from "./history";
import { earningsRestView } from "./views";

/**
 * The seller's REST reads, mounted under /companies behind its middleware,
 * which lets a key read its own company only (another id is NOT_FOUND).
 */
export const payoutsRest = new Hono<AppEnv>();

payoutsRest.get("/:companyId/earnings", async (c) => {
  const summary = await earningsSummary(c.get("db"), c.req.param("companyId"));
  return c.json({ data: earningsRestView(summary) });
});

/** The PDF report of one of the company's payouts. */
payoutsRest.get("/:companyId/payouts/:payoutId/report", async (c) => {
  const { payout } = await getPayout(c.get("db"), c.req.param("companyId"), c.req.param("payoutId"));
  const object = payout.reportKey ? await c.env.REPORTS.get(payout.reportKey) : null;
  if (!object) throw new TesseraError("NOT_FOUND", `The report of payout ${payout.id} is not ready yet.`);
  return c.body(object.body, 200, {
    "content-type": "application/pdf",
    "content-length": String(object.size),
    "content-disposition": `attachment; filename="${reportFilename(payout)}"`,
    "cache-control": "private, no-store",
  });
});
