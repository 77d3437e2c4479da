/**
 * `npm run payouts -- 2026-11`: runs the payout job for a month on the
 * running `npm start` server, as the daily cron would on the 1st of the next
 * month (without a month: the month just ended). It calls the admin procedure
 * `payouts.run` with the admin key the demo saved in .wrangler/demo.json.
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
  const result = await createTesseraClient(url, { apiKey: adminKey }).payouts.run.mutate(month === undefined ? {} : { month });
  console.log(
    `payouts ${result.period}: ${result.paid.length} paid, ${result.rolledOver.length} rolled over, ${result.failed.length} failed, ` +
      `${result.pending.length} pending, ${result.skipped.length} sellers skipped, ${result.reportsDelivered.length} reports delivered`,
  );
  console.log(JSON.stringify(result, null, 2));
  if (result.errors.length > 0) process.exitCode = 1;
} catch (error) {
  const code = errorCode(error);
  console.error(code ? `${code}: ${(error as Error).message}` : `Could not reach Tessera at ${url} (is \`npm start\` running?): ${String(error)}`);
  process.exit(1);
}
