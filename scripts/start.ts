/**
 * `npm start`: Tessera on this machine with demo data, no accounts needed.
 *
 * Applies the local D1 migrations, starts the local Stripe server and
 * `wrangler dev` (local D1 and Durable Objects under .wrangler/), seeds a
 * verified seller with products and a buyer with credits (scripts/demo.ts),
 * and prints their keys. Ctrl-C stops all.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
import { DEMO_PASSWORD, seedDemo } from "./demo";

const PORT = Number(process.env.PORT ?? 8787);
const STRIPE_PORT = 12111;
const url = `http://127.0.0.1:${PORT}`;
const children: ChildProcess[] = [];

function run(cmd: string, args: string[]) {
  const result = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
}

function start(cmd: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  children.push(child);
  child.on("exit", (code) => {
    if (code) {
      console.error(`${cmd} ${args[0] ?? ""} exited with ${code}`);
      stop(1);
    }
  });
  return child;
}

function stop(code = 0): never {
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}

async function waitFor(target: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(target)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${target} did not come up in ${timeoutMs / 1000} s`);
}

process.on("SIGINT", () => stop());
process.on("SIGTERM", () => stop());

if (!existsSync(".dev.vars")) copyFileSync(".dev.vars.example", ".dev.vars");
// A .dev.vars from an older checkout lacks the secrets added since: take the example's.
for (const name of ["SECRETS_KEYS", "KEY_SECRET", "CURSOR_SECRET"]) {
  if (new RegExp(`^${name}=`, "m").test(readFileSync(".dev.vars", "utf8"))) continue;
  const line = readFileSync(".dev.vars.example", "utf8").split("\n").find((l) => l.startsWith(`${name}=`))!;
  appendFileSync(".dev.vars", `${readFileSync(".dev.vars", "utf8").endsWith("\n") ? "" : "\n"}${line}\n`);
}
const vars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8")
    .split("\n")
    .filter((line) => line.includes("="))
    .map((line) => [line.slice(0, line.indexOf("=")).trim(), line.slice(line.indexOf("=") + 1).trim()]),
);

run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);
run("npm", ["run", "--silent", "build:client", "--", "--logLevel", "warn"]);

start("npx", ["tsx", "scripts/stripe-local/main.ts"], {
  PORT: String(STRIPE_PORT),
  WEBHOOK_URL: `${url}/webhooks/stripe`,
  // The demo's Stripe objects live next to its D1 and Durable Objects, so a restart keeps both.
  STATE_FILE: ".wrangler/stripe-local.json",
  STRIPE_WEBHOOK_SECRET: vars.STRIPE_WEBHOOK_SECRET ?? "whsec_local",
});
start("npx", ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--log-level", "warn"]);

await waitFor(`${url}/health`);
const demo = await seedDemo(url, {
  adminToken: vars.ADMIN_TOKEN ?? "local-admin-token",
  stripeUrl: `http://127.0.0.1:${STRIPE_PORT}`,
  stripeKey: vars.STRIPE_SECRET_KEY ?? "sk_test_local",
});

console.log(`
Tessera is running at ${url}

  Admin   ${url}/app/   sign in as ${demo.seller.email} or ${demo.buyer.email}, password "${DEMO_PASSWORD}"

  Seller  ${demo.seller.name} (${demo.seller.id}), Stripe connected
          x-api-key: ${demo.seller.key}
          lists "${demo.endpoint.name}" (${demo.endpoint.id}) at $${demo.endpoint.priceUsd} per request
          and ${demo.assets.map((a) => `"${a.name}" (${a.id}) at $${a.priceUsd}`).join(", ")} per execution
  Buyer   ${demo.buyer.name} (${demo.buyer.id}), ${demo.buyer.credits} credits
          x-api-key: ${demo.buyer.key}
          endpoint key: ${demo.endpoint.key}
  Admin   x-api-key: ${demo.adminKey}

  Try:    curl -s '${url}/v1/endpoints/${demo.endpoint.id}?region=Europe&page_size=3' -H "x-api-key: ${demo.endpoint.key}"

Everything is saved in .wrangler/demo.json; the README walks through the rest. Ctrl-C stops all.
`);
