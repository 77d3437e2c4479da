import { app } from "./app";
import { scheduledPayouts } from "./payouts/cron";

export { Wallet } from "./wallet/wallet";
export { Dataset } from "./data/store/dataset";

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledPayouts(controller, env)),
} satisfies ExportedHandler<Env>;
