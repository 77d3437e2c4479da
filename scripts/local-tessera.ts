/**
 * Tessera as the Node-side tests meet it (test/e2e, test/admin-ui): the D1
 * migrations in a fresh --persist-to directory, the local Stripe server
 * delivering webhooks to the worker, and `wrangler dev` on a free port
 * pointed at it, with every secret the worker needs. One list of secrets, so
 * a new one reaches every suite.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./stripe-local/free-port.ts";
import { startStripeLocal } from "./stripe-local/server.ts";

const root = path.resolve(import.meta.dirname, "..");

/** Test values, not secrets. */
export const localSecrets = {
  ADMIN_TOKEN: "local-admin-token",
  STRIPE_SECRET_KEY: "sk_test_local",
  STRIPE_WEBHOOK_SECRET: "whsec_local",
  KEY_SECRET: "local-key-check-secret",
  CURSOR_SECRET: "local-cursor-secret",
  SECRETS_KEYS: JSON.stringify({ current: "local", keys: { local: "dGVzc2VyYSB0ZXN0IGtleSwgbm90IGEgc2VjcmV0ISE=" } }),
};

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
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

/** Starts it all; `vars` are added to (or override) the secrets. Resolves once /health answers. */
export async function startLocalTessera(vars: Record<string, string> = {}) {
  const persist = mkdtempSync(path.join(tmpdir(), "tessera-local-"));
  run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);

  const [port, stripePort, inspectorPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const url = `http://127.0.0.1:${port}`;
  const stripe = await startStripeLocal({
    port: stripePort,
    webhookSecret: localSecrets.STRIPE_WEBHOOK_SECRET,
    webhookUrl: `${url}/webhooks/stripe`,
    secretKey: localSecrets.STRIPE_SECRET_KEY,
  });
  const all = { ...localSecrets, STRIPE_API_BASE: stripe.url, PUBLIC_URL: url, ...vars };
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
      ...Object.entries(all).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, CI: "1" } },
  );
  worker.stdout!.on("data", (d) => (output += d));
  worker.stderr!.on("data", (d) => (output += d));
  await waitFor(`${url}/health`, worker, () => output);

  return {
    url,
    stripeUrl: stripe.url,
    adminToken: all.ADMIN_TOKEN,
    async stop() {
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
    },
  };
}
