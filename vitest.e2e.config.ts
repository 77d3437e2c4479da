import { defineConfig } from "vitest/config";

/**
 * End-to-end tests: Node drives `wrangler dev` (with a local Stripe server)
 * over HTTP, as an outside client would: the MCP server through the SDK's
 * own client. `npx vitest run --config vitest.e2e.config.ts`; npm test runs
 * it after the workerd suites. test/e2e/global-setup.ts starts everything.
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["./test/e2e/global-setup.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
