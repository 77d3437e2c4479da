/**
 * Starts what the admin's browser tests need, once per run: builds the admin
 * (client/dist), which wrangler serves as static assets, then migrations, the
 * local Stripe server and `wrangler dev` on a free port (scripts/local-tessera.ts).
 * Tests read the URLs with `inject("tesseraUrl")` and `inject("stripeUrl")`.
 */
import type { TestProject } from "vitest/node";
import { run, startLocalTessera } from "../../scripts/local-tessera.ts";

declare module "vitest" {
  export interface ProvidedContext {
    tesseraUrl: string;
    stripeUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // vitest sets NODE_ENV=test, which would build React's development bundle: test what ships.
  run("npx", ["vite", "build", "--config", "client/vite.config.ts", "--logLevel", "warn"], { ...process.env, NODE_ENV: "production" });
  // The browser scenario bootstraps its admin with this token; a seller's origin on this machine is plain http.
  const tessera = await startLocalTessera({ ADMIN_TOKEN: "ui-admin-token", ALLOW_INSECURE_ORIGINS: "1" });
  project.provide("tesseraUrl", tessera.url);
  project.provide("stripeUrl", tessera.stripeUrl);
  return tessera.stop;
}
