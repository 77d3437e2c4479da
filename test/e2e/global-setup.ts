/**
 * Starts what the end-to-end tests need, once per run (scripts/local-tessera.ts):
 * migrations, the local Stripe server and `wrangler dev` on a free port.
 * Tests read `inject("tesseraUrl")`, `inject("stripeUrl")`, `inject("adminToken")`.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startLocalTessera } from "../../scripts/local-tessera.ts";

declare module "vitest" {
  export interface ProvidedContext {
    tesseraUrl: string;
    stripeUrl: string;
    adminToken: string;
  }
}

export default async function setup(project: TestProject) {
  // wrangler.toml serves the admin from client/dist; these tests don't need it built.
  mkdirSync(path.resolve(import.meta.dirname, "../../client/dist"), { recursive: true });
  const tessera = await startLocalTessera();
  project.provide("tesseraUrl", tessera.url);
  project.provide("stripeUrl", tessera.stripeUrl);
  project.provide("adminToken", tessera.adminToken);
  return tessera.stop;
}
