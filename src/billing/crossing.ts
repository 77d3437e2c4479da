/**
 * What billing does when the wallet reports a threshold crossing (see
 * src/wallet/crossings.ts): an auto-refill, or a low-balance alert. Runs from
 * the wallet's alarm; a handler may ask to be called again (`retryAt`).
 */
import type { Crossing, CrossingOutcome } from "../wallet/crossings";
import { sendLowBalanceAlert } from "./alerts";
import { runAutoRefill } from "./auto-refill";

export async function onCrossing(env: Env, crossing: Crossing): Promise<CrossingOutcome> {
  switch (crossing.watch) {
    case "auto_refill":
      return runAutoRefill(env, crossing);
    case "low_balance":
      return sendLowBalanceAlert(env, crossing);
  }
}
