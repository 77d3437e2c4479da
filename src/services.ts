/**
 * What domain code depends on, built once per request, alarm, cron run or
 * queue batch and passed down, so a dependency arrives one way and tests can
 * swap one part.
 */
import { createDb, type Db } from "./db";
import { productState, type ProductClient } from "./products/client";
import { wallet, type WalletClient } from "./wallet/client";

export interface Services {
  env: Env;
  /** The catalog (D1). */
  db: Db;
  /** A company's wallet. */
  wallet(companyId: string): WalletClient;
  /** A product's object: its row and terms of sale. */
  product(productId: string): ProductClient;
  now(): number;
}

export function services(env: Env, db: Db = createDb(env.DB)): Services {
  return {
    env,
    db,
    wallet: (companyId) => wallet(env, companyId),
    product: (productId) => productState(env, productId),
    now: () => Date.now(),
  };
}
