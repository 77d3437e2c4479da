/**
 * Queue consumers by queue name (wrangler.toml `[[queues.consumers]]`). A
 * batch from a queue nobody consumes throws, so its messages are retried
 * and show in the logs rather than vanish.
 */
import { consumeCrossings } from "./billing/crossing";
import { consumeDeadLetters, consumeLedgerFeed } from "./feed/consumer";
import { consumePayouts } from "./payouts/queue";
import { services, type Services } from "./services";
import type { Crossing } from "./wallet/crossings";

const consumers: Record<string, (batch: MessageBatch, s: Services) => Promise<void>> = {
  // The wallet's feed: raw D1 batches, and its own queue to resend to.
  "tessera-ledger-feed": (batch, s) => consumeLedgerFeed(batch, s.env.DB),
  "tessera-ledger-feed-dead": (batch, s) => consumeDeadLetters(batch, s.env.LEDGER_FEED),
  "tessera-crossings": (batch, s) => consumeCrossings(batch as MessageBatch<Crossing>, s),
  "tessera-payouts": consumePayouts,
};

export async function consumeQueue(batch: MessageBatch, env: Env): Promise<void> {
  const consume = consumers[batch.queue];
  if (!consume) throw new Error(`No consumer for queue ${batch.queue}.`);
  await consume(batch, services(env));
}
