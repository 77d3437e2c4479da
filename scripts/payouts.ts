/**
 * `npm run payouts -- 2026-12`: pays a month on the running `npm start`
 * server the way Cloudflare will: it fires the Worker's cron handler
 * (`/cdn-cgi/handler/scheduled`) with the scheduled time of the cron's first
 * run after that month, 03:00 UTC on the 1st of the next one. So this
 * month's demo earnings can be paid today. Without a month: the cron as it
 * would run now (it pays the month just ended). The handler queues one
 * message per seller due; the local queue consumer pays them, and the
 * script prints the month's payouts (`payouts.month`, with the admin key the
 * demo saved in .wrangler/demo.json) once they stop changing.
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

/** The cron's (daily, 03:00 UTC) first run after `month`, or now; and the month that run pays. */
function cronRun(month: string | undefined): { time: number; period: string } {
  const at = month === undefined ? new Date() : new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1, 3));
  const paid = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  return { time: at.getTime(), period: paid.toISOString().slice(0, 7) };
}

try {
  const api = createTesseraClient(url, { apiKey: adminKey });
  const run = cronRun(month);
  const fired = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("0 3 * * *")}&time=${run.time}`);
  if (!fired.ok) throw new Error(`the cron handler answered ${fired.status} (see the server's log)`);
  console.log(`payouts ${run.period}: the cron ran as at ${new Date(run.time).toISOString()}`);
  // The local queue consumer pays them in the background; show the month once it settles.
  let last = "";
  let stableSince = Date.now();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && Date.now() - stableSince < 5_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = JSON.stringify(await api.payouts.month.query({ month: run.period }));
    if (now !== last) [last, stableSince] = [now, Date.now()];
  }
  const summary = await api.payouts.month.query({ month: run.period });
  const { paid, rolled_over, pending, failed } = summary.payouts;
  console.log(`payouts ${summary.period}: ${paid} paid ($${summary.paidUsd}), ${rolled_over} rolled over, ${pending} pending, ${failed} failed`);
} catch (error) {
  const code = errorCode(error);
  console.error(code ? `${code}: ${(error as Error).message}` : `Could not reach Tessera at ${url} (is \`npm start\` running?): ${String(error)}`);
  process.exit(1);
}
