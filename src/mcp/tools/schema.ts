import { z } from "zod";

/** The REST `Idempotency-Key` rule (src/metering/replay.ts), as a tool argument. */
export const idempotencyKey = z
  .string()
  .regex(/^[\w.:-]{1,255}$/, "1 to 255 letters, digits or . _ : -")
  .optional()
  .describe("Makes a retry safe: the same key and arguments within 24 hours give the first answer again, unbilled. Another call with the same key is a CONFLICT.");

/** A list tool's paging arguments: at most `max` items a page (`fallback` unless asked), and where the last page ended. */
export function paging(fallback: number, max: number) {
  return {
    limit: z.number().int().min(1).max(max).default(fallback),
    cursor: z.string().min(1).max(1000).optional().describe("The next_cursor of the previous page, to read the page after it."),
  };
}
