import { app } from "./app";
import { scheduledPayouts } from "./payouts/cron";
import { consumeQueue } from "./queues";

export { Wallet } from "./wallet/wallet";

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledPayouts(controller, env)),
  queue: (batch, env) => consumeQueue(batch, env),
} satisfies ExportedHandler<Env>;
