import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { randomToken } from "../../src/ids";
import { MICRO, type Credits, type Usd } from "../../src/money";
import { wallet, walletOf, type WalletClient } from "../../src/wallet/client";
import type { Sale } from "../../src/wallet/types";
import type { Wallet } from "../../src/wallet/wallet";

/** Whole credits in micro-credits. */
export function credits(n: number): Credits {
  return Math.round(n * MICRO) as Credits;
}

/** Whole credits plus one micro-credit: just over an amount. */
export function justOver(n: number): Credits {
  return (credits(n) + 1) as Credits;
}

export const USD_PER_CREDIT = 500_000 as Usd;

export function sale(overrides: Partial<Sale> = {}): Sale {
  return {
    productId: "prod_weather",
    productType: "endpoint",
    sellerCompanyId: "co_seller",
    grossUsd: 500_000 as Usd,
    sellerShareUsd: 400_000 as Usd,
    platformFeeUsd: 100_000 as Usd,
    usdPerCredit: USD_PER_CREDIT,
    ...overrides,
  };
}

export interface TestWallet {
  companyId: string;
  w: WalletClient;
  stub: DurableObjectStub<Wallet>;
}

/** A fresh company's wallet (a new object: no state shared between tests). */
export function freshWallet(prefix = "co_t"): TestWallet {
  const companyId = `${prefix}_${randomToken(12)}`;
  return { companyId, w: wallet(env, companyId), stub: walletOf(env, companyId) };
}

export async function fund(t: TestWallet, amount: Credits, id = `dep_${randomToken(8)}`) {
  return t.w.deposit({ id, kind: "top_up", credits: amount, usdPerCredit: USD_PER_CREDIT });
}

/** Raw rows from the wallet's own SQLite, read without running an operation (no lazy expiry). */
export function rows<T>(t: TestWallet, query: string, ...args: SqlStorageValue[]): Promise<T[]> {
  return runInDurableObject(t.stub, (_instance, state) => state.storage.sql.exec(query, ...args).toArray() as T[]);
}

/** Books recomputed from storage must agree with the wallet's totals. */
export async function expectBooksBalanced(t: TestWallet) {
  const audit = await t.w.audit();
  if (!audit.ok) throw new Error(`books out of balance: ${JSON.stringify(audit)}`);
  return audit;
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until just past `at` (epoch ms). */
export function sleepUntil(at: number) {
  return sleep(Math.max(0, at - Date.now()) + 20);
}
