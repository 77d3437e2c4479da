import { z } from "zod";

/** The REST `Idempotency-Key` rule (src/metering/replay.ts), as a tool argument. */
export const idempotencyKey = z
  .string()
  .regex(/^[\w.:-]{1,255}$/, "1 to 255 letters, digits or . _ : -")
  .optional()
  .describe("Makes a retry safe: the same key and arguments within 24 hours give the first answer again, unbilled. Another call with the same key is a CONFLICT.");
