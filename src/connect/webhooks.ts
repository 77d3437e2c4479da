import type { StripeHandlers } from "../webhooks/types";
import { applyAccountState } from "./service";

/**
 * Connect's Stripe events. `account.updated` is Stripe's word on a connected
 * account: the event carries the whole account as of `event.created`. A state
 * older than the one already applied changes nothing, so out-of-order and
 * repeated deliveries are harmless; an account that is not (or no longer) a
 * live Tessera seller's is ignored.
 */
export const connectHandlers: StripeHandlers = {
  "account.updated": async (event, ctx) => {
    if (event.type !== "account.updated") return;
    await applyAccountState(ctx, event.data.object, event.created);
  },
};
