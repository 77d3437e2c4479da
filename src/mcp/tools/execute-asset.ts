import { z } from "zod";
import type { ExecutionBody } from "../../metering/execution";
import { assetExecution } from "../../metering/execution";
import { buyerParams, productId } from "../../products/schema";
import { meteredResult } from "../results";
import { tool } from "../tool";
import { resultContent, withoutSvg } from "./content";
import { idempotencyKey } from "./schema";

export const executeAsset = tool({
  name: "execute_asset",
  title: "Run an asset",
  description:
    "Runs an asset with your parameters (its filters, see get_product) and stores the result in your company's purchases, " +
    "re-readable for free with list_purchases. Costs the asset's price once if it succeeds; a failure is never billed. " +
    "A calculation returns its value; a visualization returns the chart's data and the chart itself as an SVG image. " +
    "Send an `idempotency_key` to make a retry safe (the same key and parameters replay the first result, unbilled). " +
    "The result carries `billing`; out of credits, an INSUFFICIENT_CREDITS error with the price, the balance and where to top up; " +
    "past your key's spending cap, BUDGET_EXCEEDED.",
  input: z
    .object({
      asset_id: productId.describe("The asset's id (ast_...)."),
      params: buyerParams.describe("Parameter values by name, e.g. { \"region\": \"Asia\" }."),
      idempotency_key: idempotencyKey,
    })
    .strict(),
  scope: "full",
  readOnly: false,
  metered: true,
  async run(ctx, input) {
    const answer = await assetExecution(
      ctx.s,
      { keyId: ctx.caller.keyId, companyId: ctx.caller.companyId, channel: "mcp" },
      { assetId: input.asset_id, params: input.params, idempotencyKey: input.idempotency_key },
      { requestId: ctx.requestId, startedAt: ctx.startedAt, method: "POST" },
    );
    if (answer.status !== 200) return meteredResult(ctx, answer);
    const body = answer.body as ExecutionBody;
    const { result } = body.data;
    return meteredResult(ctx, { ...answer, body: { ...body, data: { ...body.data, result: withoutSvg(result) } } }, () => resultContent(result));
  },
});
