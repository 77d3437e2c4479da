/**
 * How the rest of the Worker talks to a company's wallet.
 *
 * `walletOf` is the raw RPC stub; `wallet` wraps it so a refusal comes back
 * as the `TesseraError` the object threw (INSUFFICIENT_CREDITS, CONFLICT, ...)
 * instead of the plain `Error` RPC delivers.
 */
import { fromRpcError } from "../errors";
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
  "balance",
  "setLowBalanceThreshold",
  "getHold",
  "history",
  "outboxSize",
  "flush",
  "audit",
  "watch",
  "crossings",
] as const;

export type WalletMethod = (typeof methods)[number];

export type WalletClient = {
  [K in WalletMethod]: (...args: Parameters<Wallet[K]>) => Promise<Awaited<ReturnType<Wallet[K]>>>;
};

/** The company's wallet, with errors converted back to `TesseraError`. */
export function wallet(env: Env, companyId: string): WalletClient {
  const stub = walletOf(env, companyId) as unknown as Record<WalletMethod, (...args: unknown[]) => Promise<unknown>>;
  const client: Partial<Record<WalletMethod, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of methods) {
    client[name] = async (...args: unknown[]) => {
      try {
        return await stub[name](...args);
      } catch (error) {
        throw fromRpcError(error);
      }
    };
  }
  return client as WalletClient;
}
