import { env } from "cloudflare:workers";

/**
 * Volume tests run at full size nightly (`npm run test:full`, TEST_SCALE=full)
 * and at a smaller size in CI that still exercises the same paths (several
 * queue batches, every position of every event); their assertions are the
 * same at both sizes.
 */
export const fullScale = env.TEST_SCALE === "full";

/** `ci` in CI, `full` at full scale. */
export function scaled<T>(ci: T, full: T): T {
  return fullScale ? full : ci;
}
