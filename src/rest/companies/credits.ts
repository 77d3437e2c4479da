import { createRoute, z } from "@hono/zod-openapi";
import { usage30d, usdNumber } from "../../credits/service";
import { toDecimalNumber } from "../../money";
import { currentRate } from "../../rates";
import { restRouter } from "../router";
import { dataOf, errorResponses, json } from "../schemas";
import { companyErrors, companyParams } from "./shared";

const decimal = (description: string) => z.number().openapi({ description });

export const creditsBody = dataOf(
  z.object({
    balance_credits: decimal("Credits in the wallet, held ones included."),
    balance_usd: decimal("The balance at today's credit value."),
    held_credits: decimal("Reserved by requests in flight."),
    available_credits: decimal("What can be spent now: balance minus held."),
    total_spent_credits_30d: decimal("Credits spent in the last 30 days."),
    asset_executions_30d: z.number().int(),
    endpoint_requests_30d: z.number().int().openapi({ description: "Billed endpoint requests." }),
    low_balance_warning: z.boolean().openapi({ description: "True when available credits are under the threshold." }),
    low_balance_threshold_credits: decimal("The company's warning threshold."),
  }),
).openapi("Credits");

export const getCredits = createRoute({
  method: "get",
  path: "/{companyId}/credits",
  operationId: "getCredits",
  summary: "Your credits and usage",
  tags: ["Company"],
  security: [{ CompanyKey: [] }],
  request: { params: companyParams },
  responses: {
    200: json("The wallet and 30 days of usage.", creditsBody),
    ...errorResponses(companyErrors),
  },
});

export const credits = restRouter().openapi(getCredits, async (c) => {
  const { companyId } = c.req.valid("param");
  const db = c.var.services.db;
  const [balance, usage, rate] = await Promise.all([
    c.var.services.wallet(companyId).balance(),
    usage30d(db, companyId),
    currentRate(db),
  ]);
  return c.json(
    {
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
    },
    200,
  );
});
