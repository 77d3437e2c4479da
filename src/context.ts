import type { Services } from "./services";

/** What every Hono route sees: the Worker's bindings and the per-request values set in src/app.ts. */
export type AppEnv = {
  Bindings: Env;
  Variables: { services: Services; requestId: string };
};
