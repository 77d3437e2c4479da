import { createRoute, z } from "@hono/zod-openapi";
import { earningsSummary } from "../../payouts/earnings";
import { earningsRestView } from "../../payouts/views";
import { restRouter } from "../router";
import { dataOf, errorResponses, json } from "../schemas";
import { companyErrors, companyParams } from "./shared";

export const earningsBody = dataOf(
  z.object({
    pending_payout_usd: z.number().openapi({ description: "Earned and not yet paid out (paid monthly, $25 minimum)." }),
    total_earned_usd: z.number().openapi({ description: "The seller's 80% share of every sale, ever." }),
    asset_executions_30d: z.number().int().openapi({ description: "Executions of this seller's assets." }),
    endpoint_requests_30d: z.number().int().openapi({ description: "Billed requests to this seller's endpoints." }),
    top_product: z
      .object({
        name: z.string(),
        type: z.enum(["ASSET", "ENDPOINT"]),
        transactions_30d: z.number().int(),
        revenue_30d: z.number().openapi({ description: "The seller's share in USD." }),
      })
      .nullable()
      .openapi({ description: "The product with the most sales in 30 days; null when there were none." }),
  }),
).openapi("Earnings");

export const getEarnings = createRoute({
  method: "get",
  path: "/{companyId}/earnings",
  operationId: "getEarnings",
  summary: "Your earnings as a seller",
  tags: ["Company"],
  security: [{ CompanyKey: [] }],
  request: { params: companyParams },
  responses: {
    200: json("What you earned (your 80% share) and what is waiting to be paid out.", earningsBody),
    ...errorResponses(companyErrors),
  },
});

export const earnings = restRouter().openapi(getEarnings, async (c) => {
  const summary = await earningsSummary(c.var.services.db, c.req.valid("param").companyId);
  return c.json({ data: earningsRestView(summary) }, 200);
});
