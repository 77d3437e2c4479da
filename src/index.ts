import { app } from "./app";
import { benchEnv } from "./bench/d1-count";
import { scheduledPayouts } from "./payouts/cron";
import { consumeQueue } from "./queues";
import { services } from "./services";

export { Wallet } from "./wallet/wallet";
export { ProductState } from "./products/state";
export { Dataset } from "./data/store/dataset";

export default {
  fetch: (request, env, ctx) => app.fetch(request, benchEnv(env, "fetch"), ctx),
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledPayouts(controller, services(env))),
  queue: (batch, env) => consumeQueue(batch, benchEnv(env, "queue")),
} satisfies ExportedHandler<Env>;
