/**
 * How the rest of the Worker talks to a company's wallet.
 *
 * `walletOf` is the raw RPC stub; `wallet` wraps it so a refusal comes back
 * as the `TesseraError` the object decided on (INSUFFICIENT_CREDITS,
 * CONFLICT, ...), thrown, and the result types lose their `Refused` arm.
 */
import { answerOf, type Refused } from "../errors";
import type { Wallet } from "./wallet";

export function walletOf(env: Env, companyId: string): DurableObjectStub<Wallet> {
  return env.WALLET.getByName(companyId);
}

const methods = [
  "deposit",
  "adjust",
  "hold",
  "commit",
  "release",
  "charge",
  "recordCall",
  "beginReplay",
  "openCall",
  "closeCall",
  "revokeKeys",
  "cutOff",
  "setCaps",
  "keyUsage",
  "hasUsed",
  "purchases",
  "purchase",
  "balance",
  "setLowBalanceThreshold",
  "getHold",
  "history",
  "charged",
  "outboxSize",
  "flush",
  "audit",
  "archivedLedger",
  "storageStats",
  "watch",
  "crossings",
  "advanceClock",
] as const;

export type WalletMethod = (typeof methods)[number];

export type WalletClient = {
  [K in WalletMethod]: (...args: Parameters<Wallet[K]>) => Promise<Exclude<Awaited<ReturnType<Wallet[K]>>, Refused>>;
};

const known = new Set<string | symbol>(methods);

/** The company's wallet, with refusals thrown as `TesseraError`s. A method is wrapped when it is used, not all of them per call. */
export function wallet(env: Env, companyId: string): WalletClient {
  const stub = walletOf(env, companyId) as unknown as Record<WalletMethod, (...args: unknown[]) => Promise<unknown>>;
  return new Proxy({} as WalletClient, {
    get: (_, name) => (known.has(name) ? (...args: unknown[]) => answerOf(stub[name as WalletMethod](...args)) : undefined),
  });
}
