import { Hono } from "hono";
import type { AppEnv } from "../app";
import { getCompany } from "../companies/service";
import { usage30d, usdNumber } from "../credits/service";
import { TesseraError } from "../errors";
import { callerOf } from "../members/caller";
import { toDecimalNumber } from "../money";
import { payoutsRest } from "../payouts/rest";
import { currentRate } from "../rates";
import { wallet } from "../wallet/client";

/** The company reads of the source documents: `/companies/:companyId/credits` (and earnings, later). */
export const companiesRest = new Hono<AppEnv>();

companiesRest.use("/:companyId/*", async (c, next) => {
  const caller = await callerOf(c.get("db"), c.req.raw, c.req.header("x-api-key"), c.env.KEY_SECRET);
  // Another company's id: the same answer as for an id that doesn't exist.
  const companyId = c.req.param("companyId");
  if (caller.scope === "admin") await getCompany(c.get("db"), companyId);
  else if (caller.companyId !== companyId) throw new TesseraError("NOT_FOUND", `No company ${companyId}.`);
  await next();
});

companiesRest.get("/:companyId/credits", async (c) => {
  const companyId = c.req.param("companyId");
  const db = c.get("db");
  const [balance, usage, rate] = await Promise.all([
    wallet(c.env, companyId).balance(),
    usage30d(db, companyId),
    currentRate(db),
  ]);
  return c.json({
    data: {
      balance_credits: toDecimalNumber(balance.balance),
      balance_usd: usdNumber(balance.balance, rate),
      held_credits: toDecimalNumber(balance.held),
      available_credits: toDecimalNumber(balance.available),
      total_spent_credits_30d: toDecimalNumber(usage.spent),
      asset_executions_30d: usage.assetExecutions,
      endpoint_requests_30d: usage.endpointRequests,
      low_balance_warning: balance.lowBalanceWarning,
      low_balance_threshold_credits: toDecimalNumber(balance.lowBalanceThreshold),
    },
  });
});

// GET /:companyId/earnings and the payout report PDF, behind the middleware above.
companiesRest.route("/", payoutsRest);
