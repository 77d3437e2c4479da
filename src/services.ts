/**
 * What domain code depends on, built once per request, alarm, cron run or
 * queue batch and passed down, so a dependency arrives one way and tests can
 * swap one part. Building it opens nothing: the Stripe client is the
 * isolate's one (src/stripe.ts), the rest are stubs and bindings.
 */
import type Stripe from "stripe";
import { createDb, type Db } from "./db";
import { mailerFor, type Mailer } from "./payouts/mail";
import type { PayoutMessage } from "./payouts/queue";
import { productState, type ProductClient } from "./products/client";
import { stripeClient } from "./stripe";
import { wallet, type WalletClient } from "./wallet/client";

export interface Services {
  /** Configuration (vars and secrets: PUBLIC_URL, KEY_SECRET, SECRETS_KEYS, ...) and bindings no service below wraps. */
  env: Env;
  /** The database (D1). */
  db: Db;
  stripe: Stripe;
  /** A company's wallet. */
  wallet(companyId: string): WalletClient;
  /** A product's object: its row and terms of sale. */
  product(productId: string): ProductClient;
  /** Hosted datasets, one object each. */
  datasets: Env["DATASET"];
  /** Queues Worker code sends to (the wallet's own feed queues are the wallet's). */
  queues: { payouts: Queue<PayoutMessage> };
  mailer: Mailer;
  /** Payout statements (R2). */
  reports: R2Bucket;
  now(): number;
}

export function services(env: Env, db: Db = createDb(env.DB)): Services {
  return {
    env,
    db,
    stripe: stripeClient(env),
    wallet: (companyId) => wallet(env, companyId),
    product: (productId) => productState(env, productId),
    datasets: env.DATASET,
    queues: { payouts: env.PAYOUT_QUEUE },
    mailer: mailerFor(env, db),
    reports: env.REPORTS,
    now: () => Date.now(),
  };
}
