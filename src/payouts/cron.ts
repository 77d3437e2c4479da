import { createDb } from "../db";
import { stripeClient } from "../stripe";
import { mailerFor } from "./mail";
import { runPayouts, type PayoutJobDeps } from "./run";

/** The payout job's dependencies from the worker's bindings. */
export function payoutJobDeps(env: Env): PayoutJobDeps {
  const db = createDb(env.DB);
  return { db, stripe: stripeClient(env), reports: env.REPORTS, mailer: mailerFor(env, db) };
}

/**
 * The cron entry (wrangler.toml: daily at 03:00 UTC). The first run after a
 * month end pays that month; the hours before it give wallets' ledger copies
 * time to reach D1 (an entry that lands later still counts, in the next
 * month's carried-in). Later runs that month retry failures and pay sellers
 * verified since.
 */
export async function scheduledPayouts(controller: Pick<ScheduledController, "scheduledTime">, env: Env) {
  const result = await runPayouts(payoutJobDeps(env), { now: controller.scheduledTime });
  console.log(
    `payouts ${result.period}: ${result.paid.length} paid, ${result.rolledOver.length} rolled over, ${result.failed.length} failed, ` +
      `${result.pending.length} pending, ${result.skipped.length} sellers skipped, ${result.errors.length} errors`,
  );
  return result;
}
