/**
 * Queue consumers by queue name (wrangler.toml `[[queues.consumers]]`). A
 * batch from a queue nobody consumes throws, so its messages are retried
 * and show in the logs rather than vanish.
 */
import { consumePayouts } from "./payouts/queue";

const consumers: Record<string, (batch: MessageBatch, env: Env) => Promise<void>> = {
  "tessera-payouts": consumePayouts,
};

export async function consumeQueue(batch: MessageBatch, env: Env): Promise<void> {
  const consume = consumers[batch.queue];
  if (!consume) throw new Error(`No consumer for queue ${batch.queue}.`);
  await consume(batch, env);
}
