/**
 * Queue consumers by queue name (wrangler.toml `[[queues.consumers]]`). A
 * batch from a queue nobody consumes throws, so its messages are retried
 * and show in the logs rather than vanish.
 */
import { consumeCrossings } from "./billing/crossing";
import { consumeDeadLetters, consumeLedgerFeed } from "./feed/consumer";
import { consumePayouts } from "./payouts/queue";
import type { Crossing } from "./wallet/crossings";

const consumers: Record<string, (batch: MessageBatch, env: Env) => Promise<void>> = {
  "tessera-ledger-feed": (batch, env) => consumeLedgerFeed(batch, env.DB),
  "tessera-ledger-feed-dead": (batch, env) => consumeDeadLetters(batch, env.LEDGER_FEED),
  "tessera-crossings": (batch, env) => consumeCrossings(batch as MessageBatch<Crossing>, env),
  "tessera-payouts": consumePayouts,
};

export async function consumeQueue(batch: MessageBatch, env: Env): Promise<void> {
  const consume = consumers[batch.queue];
  if (!consume) throw new Error(`No consumer for queue ${batch.queue}.`);
  await consume(batch, env);
}
