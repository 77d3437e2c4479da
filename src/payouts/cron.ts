import type { Services } from "../services";
import { previousMonth } from "./period";
import { enqueuePayouts } from "./queue";

/**
 * The cron entry (wrangler.toml: daily at 03:00 UTC). It fans out: one
 * queue message per seller due for the month just ended (queue.ts). The
 * first run after a month end pays that month; the hours before it give
 * wallets' ledger copies time to reach D1 (an entry that lands later still
 * counts, in the next month's carried-in). Later runs that month retry open
 * payouts, deliver missing reports and pay sellers verified since.
 */
export async function scheduledPayouts(controller: Pick<ScheduledController, "scheduledTime">, s: Services) {
  const result = await enqueuePayouts(s, previousMonth(controller.scheduledTime));
  console.log(`payouts ${result.period}: ${result.enqueued} seller(s) queued, ${result.skipped.length} skipped (no verified Stripe account)`);
  return result;
}
