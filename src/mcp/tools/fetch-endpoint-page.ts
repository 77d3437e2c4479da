import { z } from "zod";
import { endpointKeysMade } from "../../caches";
import { TesseraError } from "../../errors";
import { errorOf } from "../../metering/billing";
import { factsOf, failed, type Attempt } from "../../metering/call";
import { endpointPage } from "../../metering/page";
import { provisionEndpointKey } from "../../products/keys";
import { buyerParams, productId } from "../../products/schema";
import { getVisibleProduct } from "../../products/service";
import { liveKeyWithEndpointKey } from "../caller";
import { meteredResult } from "../results";
import { tool } from "../tool";
import { idempotencyKey } from "./schema";

export const fetchEndpointPage = tool({
  name: "fetch_endpoint_page",
  title: "Fetch a page of an endpoint",
  description:
    "One page of an endpoint's rows. Costs the endpoint's price once per successful page (a page with zero rows is billed too); " +
    "a failure (bad filter, seller's data source down) is never billed. Pass the endpoint's filters (see get_product) in `filters`, " +
    "`page_size`, and `cursor` from the previous page's pagination.next_cursor for the next one. " +
    "Send an `idempotency_key` to make a retry safe: the same key with the same arguments returns the same page, unbilled (billing.replayed). " +
    "The result carries `billing` (billed, credits, request_id, price_usd, price_credits). " +
    "Out of credits: an INSUFFICIENT_CREDITS error with the price, the balance and where to top up (buy_credits). " +
    "Past your key's spending cap: BUDGET_EXCEEDED (billing.budget shows the room left on every billed result of a capped key).",
  input: z
    .object({
      endpoint_id: productId.describe("The endpoint's id (ep_...)."),
      filters: buyerParams.describe("Filter values by parameter name, e.g. { \"region\": \"Europe\" }; lists for `in` filters."),
      page_size: z.number().int().min(1).max(1000).optional(),
      cursor: z.string().max(2000).optional(),
      idempotency_key: idempotencyKey,
    })
    .strict(),
  scope: "full",
  readOnly: false,
  metered: true,
  async run(ctx, input) {
    const { s, caller } = ctx;
    const attempt: Attempt = { requestId: ctx.requestId, startedAt: ctx.startedAt, method: "POST" };
    // Billed under the caller's own key, so its caps bound what an agent spends, and its revocation
    // and a seller's cut-off stop it in the charge's transaction (the wallet has both).
    const who = { keyId: caller.keyId, companyId: caller.companyId, channel: "mcp" as const };
    const made = `${caller.companyId}:${input.endpoint_id}`;
    try {
      if (!endpointKeysMade.get(made)) {
        const endpointKey = await liveKeyWithEndpointKey(s.db, caller, input.endpoint_id);
        if (!endpointKey) {
          // The company's first page of this endpoint: its key is made now, free, as the admin's fetch does.
          const { product } = await getVisibleProduct(s.db, caller.companyId, input.endpoint_id);
          if (product.type !== "endpoint") throw new TesseraError("BAD_REQUEST", `${product.id} is an asset: run it with execute_asset.`);
          await provisionEndpointKey(s.db, product.id, caller.companyId, s.env.KEY_SECRET);
        }
        endpointKeysMade.set(made, true);
      }
    } catch (error) {
      // A known key's call is logged even when it fails before reaching the product, as on REST.
      const known = errorOf(error, attempt.requestId);
      return meteredResult(ctx, await failed(s, who, factsOf(who, attempt, { id: input.endpoint_id, type: null, sellerCompanyId: null }), attempt, known, undefined));
    }
    const params = Object.fromEntries(Object.entries(input.filters).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
    const answer = await endpointPage(
      s,
      { ...who, endpointId: input.endpoint_id },
      { endpointId: input.endpoint_id, params, pageSize: input.page_size, cursor: input.cursor, idempotencyKey: input.idempotency_key },
      attempt,
    );
    return meteredResult(ctx, answer);
  },
});
