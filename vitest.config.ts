import { mkdirSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { freePort } from "./scripts/stripe-local/free-port.ts";

export default defineConfig(async () => {
  // wrangler.toml serves the admin from client/dist; workerd refuses a missing
  // assets directory, and these suites don't need the built admin.
  mkdirSync(path.join(import.meta.dirname, "client/dist"), { recursive: true });
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  // Each run starts its own local Stripe server (test/global-setup.ts) on a free port, so
  // parallel runs and a running demo (port 12111) never share one.
  process.env.STRIPE_LOCAL_PORT ??= String(await freePort());
  process.env.TEST_ORIGIN_PORT ??= String(await freePort());
  return {
    logLevel: "error",
    plugins: [
      cloudflareTest({
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ADMIN_TOKEN: "test-admin-token",
            STRIPE_API_BASE: `http://127.0.0.1:${process.env.STRIPE_LOCAL_PORT}`,
            // The local Stripe server started by test/global-setup.ts signs with this secret.
            STRIPE_SECRET_KEY: "sk_test_local",
            STRIPE_WEBHOOK_SECRET: "whsec_local",
            // Seals the secrets kept in D1 (src/crypto.ts); a test key, not a secret.
            SECRETS_KEYS: JSON.stringify({ current: "test", keys: { test: "dGVzc2VyYSB0ZXN0IGtleSwgbm90IGEgc2VjcmV0ISE=" } }),
            // Signs endpoint page cursors (src/data/query/cursor.ts).
            CURSOR_SECRET: "test-cursor-secret",
            // A seller's HTTP origin (test/origin-server.ts), plain http on this machine.
            TEST_ORIGIN_URL: `http://127.0.0.1:${process.env.TEST_ORIGIN_PORT}`,
            ALLOW_INSECURE_ORIGINS: "1",
            ALLOW_TEST_CLOCK: "1",
            // Volume tests at full size with TEST_SCALE=full (npm run test:full), smaller in CI (test/harness/scale.ts).
            TEST_SCALE: process.env.TEST_SCALE ?? "ci",
            KEY_SECRET: "test-key-secret",
          },
          // Deliver queue batches at once, so tests wait for the feed no longer than they must.
          queueConsumers: {
            "tessera-ledger-feed": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "tessera-ledger-feed-dead" },
            "tessera-crossings": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 10 },
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      // The admin's browser tests and the end-to-end tests run in Node: vitest.browser.config.ts, vitest.e2e.config.ts.
      exclude: ["**/node_modules/**", "test/admin-ui/**", "test/e2e/**"],
      setupFiles: ["./test/setup.ts"],
      globalSetup: ["./test/global-setup.ts", "./test/origin-server.ts"],
      testTimeout: 30_000,
      // Every file has its own storage and its own Stripe platform, so files run
      // side by side: on CI's two cores vitest would otherwise start one at a time.
      maxWorkers: 2,
    },
  };
});
