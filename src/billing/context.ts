import { createDb, type Db } from "../db";

/** What billing code needs: the bindings (Stripe settings, the wallet) and the catalog database. */
export interface BillingContext {
  env: Env;
  db: Db;
}

/** For code that starts from bare bindings (the wallet's alarm). */
export function billingContext(env: Env): BillingContext {
  return { env, db: createDb(env.DB) };
}
