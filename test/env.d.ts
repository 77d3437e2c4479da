import type { D1Migration } from "@cloudflare/vitest-pool-workers";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      TEST_ORIGIN_URL: string;
      /** "full" for the nightly sizes of volume tests (test/harness/scale.ts). */
      TEST_SCALE: string;
    }
  }
}
