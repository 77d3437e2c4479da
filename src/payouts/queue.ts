/**
 * The month-end job, fanned out over the `tessera-payouts` queue.
 *
 * The producer (the daily cron, or an admin's `payouts.run`) finds the
 * sellers due in a fixed number of D1 queries (due.ts) and sends one message
 * per seller, 100 per `sendBatch` (Queues' limit). The consumer pays each
 * message's seller with `paySeller`, one after another within a batch (at
 * most `max_batch_size` = 10, wrangler.toml), so one invocation makes about
 * 140 D1 queries, far below 1,000.
 *
 * Delivery is at least once, and two producers may send the same seller:
 * `paySeller` is safe to repeat and to run twice at once. A message that
 * throws is retried after a minute; one dropped after its last retry is sent
 * again by the next daily run.
 */
import { newId } from "../ids";
import type { Services } from "../services";
import { dueSellers } from "./due";
import { monthOf, PERIOD_KEY, type Period } from "./period";
import { paySeller } from "./seller";

/** One seller to pay for one month. */
export interface PayoutMessage {
  companyId: string;
  /** `YYYY-MM`. */
  period: string;
}

/** Queues' most messages per `sendBatch` (and per consumer batch). */
const SEND_BATCH = 100;

export interface EnqueueResult {
  period: string;
  /** Sellers sent a message. */
  enqueued: number;
  /** Sellers with something due but no verified Stripe account: nothing sent. */
  skipped: string[];
}

/** Sends one message per seller due in `period`. */
export async function enqueuePayouts(s: Pick<Services, "db" | "queues">, period: Period): Promise<EnqueueResult> {
  const { due, skipped } = await dueSellers(s.db, period);
  for (let i = 0; i < due.length; i += SEND_BATCH) {
    await s.queues.payouts.sendBatch(due.slice(i, i + SEND_BATCH).map((companyId) => ({ body: { companyId, period: period.key } satisfies PayoutMessage })));
  }
  return { period: period.key, enqueued: due.length, skipped };
}

function isPayoutMessage(body: unknown): body is PayoutMessage {
  const b = body as Partial<PayoutMessage> | null;
  return typeof b?.companyId === "string" && typeof b.period === "string" && PERIOD_KEY.test(b.period);
}

/** The consumer: each message pays its seller once. */
export async function consumePayouts(batch: MessageBatch, s: Services): Promise<void> {
  const runId = newId("run");
  for (const message of batch.messages) {
    if (!isPayoutMessage(message.body)) {
      console.error(`payouts: dropped a malformed message ${message.id}`);
      message.ack();
      continue;
    }
    const { companyId, period } = message.body;
    try {
      const outcome = await paySeller(s, companyId, monthOf(period), runId, s.now());
      if (outcome.failed.length > 0 || outcome.pending.length > 0) {
        console.warn(`payouts ${period} ${companyId}: failed ${outcome.failed.join(", ") || "none"}, pending ${outcome.pending.join(", ") || "none"}`);
      }
      message.ack();
    } catch (error) {
      console.error(`payouts ${period} ${companyId}: attempt ${message.attempts} failed in run ${runId}`, error);
      message.retry({ delaySeconds: 60 });
    }
  }
}
