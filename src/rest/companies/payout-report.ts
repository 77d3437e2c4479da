import { createRoute, z } from "@hono/zod-openapi";
import { TesseraError } from "../../errors";
import { reportFilename } from "../../payouts/deliver";
import { getPayout } from "../../payouts/history";
import { restRouter } from "../router";
import { errorResponses } from "../schemas";
import { companyErrors, companyParams } from "./shared";

export const getPayoutReport = createRoute({
  method: "get",
  path: "/{companyId}/payouts/{payoutId}/report",
  operationId: "getPayoutReport",
  summary: "A payout's PDF statement",
  description:
    "The statement of one monthly payout: every product's sales, refunds and what rolled over. Find payout ids with the `payouts.list` procedure.",
  tags: ["Company"],
  security: [{ CompanyKey: [] }],
  request: {
    params: companyParams.extend({ payoutId: z.string().openapi({ description: "The payout, `po_<YYYY-MM>_<companyId>`." }) }),
  },
  responses: {
    200: { description: "The report.", content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } } },
    ...errorResponses({ ...companyErrors, NOT_FOUND: "no such payout of yours, or its report is not ready yet." }),
  },
});

/** The PDF report of one of the company's payouts. */
export const payoutReport = restRouter().openapi(getPayoutReport, async (c) => {
  const { companyId, payoutId } = c.req.valid("param");
  const { payout } = await getPayout(c.var.services.db, companyId, payoutId);
  const object = payout.reportKey ? await c.env.REPORTS.get(payout.reportKey) : null;
  if (!object) throw new TesseraError("NOT_FOUND", `The report of payout ${payout.id} is not ready yet.`);
  return c.body(object.body, 200, {
    "content-type": "application/pdf",
    "content-length": String(object.size),
    "content-disposition": `attachment; filename="${reportFilename(payout)}"`,
    "cache-control": "private, no-store",
  });
});
