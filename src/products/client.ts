/** How the rest of the Worker talks to a product's object (state.ts): refusals come back thrown. */
import { answerOf, type Refused } from "../errors";
import type { ProductState } from "./state";

const methods = ["terms", "read", "create", "update", "setPrice", "setSellerCanSell"] as const;

type Method = (typeof methods)[number];

export type ProductClient = {
  [K in Method]: (...args: Parameters<ProductState[K]>) => Promise<Exclude<Awaited<ReturnType<ProductState[K]>>, Refused>>;
};

export function productState(env: Env, productId: string): ProductClient {
  const stub = env.PRODUCT.getByName(productId) as unknown as Record<Method, (...args: unknown[]) => Promise<unknown>>;
  const client: Partial<Record<Method, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of methods) client[name] = (...args: unknown[]) => answerOf(stub[name](...args));
  return client as ProductClient;
}
