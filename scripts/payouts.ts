/**
 * `npm run payouts -- 2026-11`: runs the payout job for a month on the
 * running `npm start` server, as the daily cron would on the 1st of the next
 * month (without a month: the month just ended). It calls the admin procedure
 * `payouts.run` with the admin key the demo saved in .wrangler/demo.json,
 * which queues one message per seller due; the local queue consumer pays
 * them, and the script prints the month's payouts (`payouts.month`) once
 * they stop changing.
 * (Locally, `wrangler dev` cannot fire the cron handler: with the `[assets]`
 * block, /cdn-cgi/handler/scheduled goes to the assets router.)
 *
 * PORT picks the server's port, as for `npm start`.
 */
import { existsSync, readFileSync } from "node:fs";
import { createTesseraClient, errorCode } from "../client/src";
import type { Demo } from "./demo";

const FILE = ".wrangler/demo.json";
const month = process.argv[2];
if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
  console.error(`usage: npm run payouts -- [YYYY-MM]   (got "${month}")`);
  process.exit(2);
}
if (!existsSync(FILE)) {
  console.error(`${FILE} not found: start Tessera with \`npm start\` first (it seeds the demo and saves the admin key).`);
  process.exit(1);
}
const { adminKey } = JSON.parse(readFileSync(FILE, "utf8")) as Demo;
const url = `http://127.0.0.1:${process.env.PORT ?? 8787}`;

try {
  const api = createTesseraClient(url, { apiKey: adminKey });
  const queued = await api.payouts.run.mutate(month === undefined ? {} : { month });
  const sellers = (n: number) => `${n} seller${n === 1 ? "" : "s"}`;
  console.log(`payouts ${queued.period}: ${sellers(queued.enqueued)} queued, ${sellers(queued.skipped.length)} skipped (no verified Stripe account)`);
  // The local queue consumer pays them in the background; show the month once it settles.
  let last = "";
  let stableSince = Date.now();
  const deadline = Date.now() + 120_000;
  while (queued.enqueued > 0 && Date.now() < deadline && Date.now() - stableSince < 5_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = JSON.stringify(await api.payouts.month.query({ month: queued.period }));
    if (now !== last) [last, stableSince] = [now, Date.now()];
  }
  const summary = await api.payouts.month.query({ month: queued.period });
  const { paid, rolled_over, pending, failed } = summary.payouts;
  console.log(`payouts ${summary.period}: ${paid} paid ($${summary.paidUsd}), ${rolled_over} rolled over, ${pending} pending, ${failed} failed`);
} catch (error) {
  const code = errorCode(error);
  console.error(code ? `${code}: ${(error as Error).message}` : `Could not reach Tessera at ${url} (is \`npm start\` running?): ${String(error)}`);
  process.exit(1);
}
