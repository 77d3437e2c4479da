import { defineConfig } from "vitest/config";

/**
 * The admin's end-to-end tests: Node drives Debian's Chromium (playwright-core)
 * against `wrangler dev` serving the built admin, with a local Stripe server.
 * They can't run inside workerd like the other suites, so they have their own
 * config: `npx vitest run --config vitest.browser.config.ts` (npm test runs it
 * after the workerd suites). test/admin-ui/global-setup.ts starts everything.
 */
export default defineConfig({
  test: {
    include: ["test/admin-ui/**/*.test.ts"],
    globalSetup: ["./test/admin-ui/global-setup.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
