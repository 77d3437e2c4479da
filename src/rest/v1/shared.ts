import { z } from "@hono/zod-openapi";
import type { CodeMeanings } from "../schemas";

/** What both metered routes can answer besides their own codes; all unbilled. */
export const meteredErrorMeanings: CodeMeanings = {
  UNAUTHORIZED: "no key or an unknown one.",
  KEY_REVOKED: "the key was revoked.",
  INSUFFICIENT_CREDITS: "the wallet's available credits don't cover the price.",
  CONFLICT: "the Idempotency-Key was used with other parameters, or its first request is still running.",
  BUDGET_EXCEEDED: "the key's spending cap (per day, per month or in all) leaves less than the price; `billing.budget` says what is left.",
  RATE_LIMITED: "too many calls with this key, or too many calls with keys that are not keys from this client.",
  ORIGIN_ERROR: "the seller's data source failed or answered something malformed.",
  ORIGIN_TIMEOUT: "the seller's data source did not answer in time.",
  INTERNAL: "something went wrong on our side.",
};

export const idempotencyKeyHeader = z
  .string()
  .regex(/^[\w.:-]{1,255}$/, { error: "Idempotency-Key must be 1 to 255 letters, digits or . _ : -" })
  .optional()
  .openapi({
    description:
      "Makes a retry safe: the same key with the same request returns the first answer and is not billed again (`billing.replayed`). " +
      "The same key with other parameters is CONFLICT. 1 to 255 of letters, digits and . _ : - (`order-7781-page-1`).",
  });
