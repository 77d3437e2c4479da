import { app } from "./app";
import { benchEnv } from "./bench/d1-count";
import { consumeCrossings } from "./billing/crossing";
import { consumeDeadLetters, consumeLedgerFeed } from "./feed/consumer";
import { scheduledPayouts } from "./payouts/cron";
import type { Crossing } from "./wallet/crossings";

export { Wallet } from "./wallet/wallet";
export { ProductState } from "./products/state";

/** Each queue's consumer, by queue name (wrangler.toml). */
const consumers: Record<string, (batch: MessageBatch<unknown>, env: Env) => Promise<void>> = {
  "tessera-ledger-feed": (batch, env) => consumeLedgerFeed(batch, env.DB),
  "tessera-ledger-feed-dead": (batch, env) => consumeDeadLetters(batch, env.LEDGER_FEED),
  "tessera-crossings": (batch, env) => consumeCrossings(batch as MessageBatch<Crossing>, env),
};

export default {
  fetch: (request, env, ctx) => app.fetch(request, benchEnv(env, "fetch"), ctx),
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledPayouts(controller, env)),
  async queue(batch, env) {
    const consume = consumers[batch.queue];
    if (!consume) throw new Error(`No consumer for queue ${batch.queue}.`);
    await consume(batch, benchEnv(env, "queue"));
  },
} satisfies ExportedHandler<Env>;
