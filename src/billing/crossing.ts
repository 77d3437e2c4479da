/**
 * What billing does when a wallet reports a threshold crossing (see
 * src/wallet/crossings.ts): an auto-refill, or a low-balance alert. Crossings
 * arrive through the CROSSINGS queue, off every caller's path, at least once
 * (the handlers are idempotent by crossing id); a handler may ask to be
 * called again later (`retryAt`), which is how auto-refill backs off.
 */
import type { Services } from "../services";
import type { Crossing } from "../wallet/crossings";
import { sendLowBalanceAlert } from "./alerts";
import { runAutoRefill } from "./auto-refill";

/** What a handler asks for: nothing (done) or another call at `retryAt`. */
export type CrossingOutcome = { retryAt: number } | undefined | void;

/** After this many deliveries a crossing is dropped (handlers record their own failures). */
const MAX_ATTEMPTS = 10;
const RETRY_BASE_S = 5;

export async function onCrossing(s: Services, crossing: Crossing): Promise<CrossingOutcome> {
  switch (crossing.watch) {
    case "auto_refill":
      return runAutoRefill(s, crossing);
    case "low_balance":
      return sendLowBalanceAlert(s, crossing);
  }
}

/** The CROSSINGS queue's consumer: one handler call per crossing, retried as the handler asks. */
export async function consumeCrossings(batch: MessageBatch<Crossing>, s: Services): Promise<void> {
  for (const message of batch.messages) {
    let retryAt: number | null;
    try {
      retryAt = (await onCrossing(s, message.body))?.retryAt ?? null;
    } catch (error) {
      console.warn(`crossing ${message.body.id} (${message.body.watch}) failed, will retry:`, String(error));
      retryAt = s.now() + RETRY_BASE_S * 1000 * 2 ** (message.attempts - 1);
    }
    if (retryAt === null || message.attempts >= MAX_ATTEMPTS) message.ack();
    else message.retry({ delaySeconds: Math.min(Math.max(1, Math.ceil((retryAt - s.now()) / 1000)), 86_400) });
  }
}
