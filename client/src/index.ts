import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { MAX_BATCH_CALLS } from "../../src/trpc/batch";
import type { AppRouter } from "../../src/trpc/router";

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export interface TesseraAuth {
  /** A company API key (`tsk_...`), sent as `x-api-key`. */
  apiKey?: string;
  /** Extra headers, e.g. cookies when running outside a browser. */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one (tests pass the worker's). */
  fetch?: typeof fetch;
}

/** The typed Tessera client: `client.credits.balance.query()` and so on. */
export function createTesseraClient(url: string, auth: TesseraAuth = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: new URL("/trpc", url).toString(),
        // The worker refuses bigger batches; the link sends the rest in further requests.
        maxItems: MAX_BATCH_CALLS,
        headers: () => ({ ...auth.headers, ...(auth.apiKey ? { "x-api-key": auth.apiKey } : {}) }),
        ...(auth.fetch ? { fetch: auth.fetch } : {}),
      }),
    ],
  });
}

export type TesseraClient = ReturnType<typeof createTesseraClient>;

/** The stable error code of a failed call (`INSUFFICIENT_CREDITS`, `NOT_FOUND`, ...). */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) return (error.data as { code?: string } | undefined)?.code;
  return undefined;
}
