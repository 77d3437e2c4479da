import { TRPCClientError } from "@trpc/client";
import { QueryClient } from "@tanstack/react-query";
import { createTesseraClient, errorCode, type RouterOutputs } from "../index";
import { CSRF } from "./csrf";

/**
 * The typed Tessera client, as the signed-in browser: the session cookie goes
 * along by itself (same origin), and every request carries the CSRF header
 * the worker asks of cookie sessions.
 */
export const api = createTesseraClient(window.location.origin, { headers: { [CSRF.header]: CSRF.value } });

export type Outputs = RouterOutputs;

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // A refusal (bad input, not found, signed out) won't change by asking again.
      retry: (count, error) => count < 2 && !(error instanceof TRPCClientError && errorCode(error)),
    },
  },
});

/**
 * What to tell a person about a failed call: the server's own message (the
 * worker never sends stacks), or a plain line when the network failed.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (errorCode(error)) return error.message;
    return "Tessera could not be reached. Check your connection and try again.";
  }
  if (error instanceof UploadError) return error.message;
  return "Something went wrong. Try again.";
}

export { errorCode };

/** A failed REST upload, carrying the server's error code and message. */
export class UploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
