/**
 * Starts what the admin's browser tests need, once per run:
 *   1. builds the admin (client/dist), which wrangler serves as static assets;
 *   2. applies the D1 migrations to a fresh --persist-to directory;
 *   3. starts the local Stripe server, delivering webhooks to the worker;
 *   4. starts `wrangler dev` on a free port, pointed at that Stripe.
 * Tests read the URLs with `inject("tesseraUrl")` and `inject("stripeUrl")`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "../../scripts/stripe-local/free-port.ts";
import { startStripeLocal } from "../../scripts/stripe-local/server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    tesseraUrl: string;
    stripeUrl: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");
const secrets = {
  ADMIN_TOKEN: "ui-admin-token",
  STRIPE_SECRET_KEY: "sk_test_local",
  STRIPE_WEBHOOK_SECRET: "whsec_local",
  SECRETS_KEYS: JSON.stringify({ current: "ui", keys: { ui: "dGVzc2VyYSB0ZXN0IGtleSwgbm90IGEgc2VjcmV0ISE=" } }),
  KEY_SECRET: "ui-key-check-secret",
  CURSOR_SECRET: "ui-cursor-secret",
};

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

async function waitFor(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up in ${timeoutMs / 1000} s:\n${output()}`);
}

export default async function setup(project: TestProject) {
  // vitest sets NODE_ENV=test, which would build React's development bundle: test what ships.
  run("npx", ["vite", "build", "--config", "client/vite.config.ts", "--logLevel", "warn"], { ...process.env, NODE_ENV: "production" });

  const persist = mkdtempSync(path.join(tmpdir(), "tessera-ui-"));
  run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);

  const [port, stripePort, inspectorPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const url = `http://127.0.0.1:${port}`;
  const stripe = await startStripeLocal({
    port: stripePort,
    webhookSecret: secrets.STRIPE_WEBHOOK_SECRET,
    webhookUrl: `${url}/webhooks/stripe`,
    secretKey: secrets.STRIPE_SECRET_KEY,
  });

  const vars = {
    ...secrets,
    STRIPE_API_BASE: stripe.url,
    PUBLIC_URL: url,
    ALLOW_INSECURE_ORIGINS: "1",
  };
  let output = "";
  const worker = spawn(
    "npx",
    [
      "wrangler", "dev",
      "--port", String(port),
      "--ip", "127.0.0.1",
      "--inspector-port", String(inspectorPort),
      "--persist-to", persist,
      "--log-level", "warn",
      "--show-interactive-dev-session=false",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, CI: "1" } },
  );
  worker.stdout!.on("data", (d) => (output += d));
  worker.stderr!.on("data", (d) => (output += d));
  await waitFor(`${url}/health`, worker, () => output);

  project.provide("tesseraUrl", url);
  project.provide("stripeUrl", stripe.url);

  return async () => {
    // wrangler starts workerd as a child: end the whole process group it leads.
    if (worker.pid && worker.exitCode === null) {
      try {
        process.kill(-worker.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await stripe.close();
    rmSync(persist, { recursive: true, force: true });
  };
}
