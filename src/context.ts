import type { Db } from "./db";

/** What every Hono route sees: the Worker's bindings and the per-request values set in src/app.ts. */
export type AppEnv = {
  Bindings: Env;
  Variables: { db: Db; requestId: string };
};
