/**
 * `npm start`: Tessera on this machine with demo data, no accounts needed.
 *
 * Applies the local D1 migrations, starts the local Stripe server and
 * `wrangler dev` (local D1 and Durable Objects under .wrangler/), seeds a
 * seller and a buyer with credits, and prints their keys. Ctrl-C stops all.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { seedDemo } from "./demo";

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
const vars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8")
    .split("\n")
    .filter((line) => line.includes("="))
    .map((line) => [line.slice(0, line.indexOf("=")).trim(), line.slice(line.indexOf("=") + 1).trim()]),
);

run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);
if (existsSync("client/dist/index.html") === false && existsSync("client/vite.config.ts")) {
  run("npm", ["run", "build:client"]);
}

start("npx", ["tsx", "scripts/stripe-local/main.ts"], {
  PORT: String(STRIPE_PORT),
  WEBHOOK_URL: `${url}/webhooks/stripe`,
  STRIPE_WEBHOOK_SECRET: vars.STRIPE_WEBHOOK_SECRET ?? "whsec_local",
});
start("npx", ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--log-level", "warn"]);

await waitFor(`${url}/health`);
const demo = await seedDemo(url, vars.ADMIN_TOKEN ?? "local-admin-token");

console.log(`
Tessera is running at ${url}

  Seller  ${demo.seller.name} (${demo.seller.id})
          x-api-key: ${demo.seller.key}
  Buyer   ${demo.buyer.name} (${demo.buyer.id}), ${demo.buyer.credits} credits
          x-api-key: ${demo.buyer.key}
  Admin   x-api-key: ${demo.adminKey}

  Try:    curl -s ${url}/companies/${demo.buyer.id}/credits -H "x-api-key: ${demo.buyer.key}"

The keys are saved in .wrangler/demo.json. Ctrl-C stops everything.
`);
