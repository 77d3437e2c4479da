import { app } from "./app";

export { Wallet } from "./wallet/wallet";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
