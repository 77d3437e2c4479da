/**
 * `npm run bench`: the metered endpoint against the same query served with no
 * wallet, side by side in one run, on `wrangler dev` with local D1 and Durable
 * Objects; then the wallet's own `charge` throughput inside workerd.
 *
 * After a warm-up of both routes, rounds alternate metered / unmetered (and
 * which goes first) so both meet the same machine noise.
 * Afterwards the buyer's billed ledger entries must equal the metered 200s.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createTesseraClient } from "../client/src/index.ts";

const PORT = 8797;
const BASE = `http://127.0.0.1:${PORT}`;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Requests per route per round: a fixed count, so every billed request's response is counted. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Requests per route before measuring, not counted in the figures. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const ADMIN_TOKEN = "bench-admin-token";

const persist = mkdtempSync(path.join(tmpdir(), "tessera-bench-"));
const wrangler = (args: string[]) =>
  spawnSync("npx", ["wrangler", ...args, "--persist-to", persist], { stdio: ["ignore", "ignore", "inherit"] });

wrangler(["d1", "migrations", "apply", "DB", "--local"]);
const dev = spawn(
  "npx",
  ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--log-level", "warn", "--persist-to", persist,
    "--var", "BENCH:1", "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "CURSOR_SECRET:bench-cursor-secret"],
  { stdio: ["ignore", "ignore", "inherit"], detached: true },
);
const stop = () => {
  try {
    process.kill(-dev.pid!, "SIGTERM");
  } catch {}
  rmSync(persist, { recursive: true, force: true });
};
process.on("exit", stop);

try {
  await waitUp();
  const { endpointId, key, buyerId } = await seed();
  const query = "?region=EU&page_size=20";
  const meteredUrl = `${BASE}/v1/endpoints/${endpointId}${query}`;
  const unmeteredUrl = `${BASE}/__bench/unmetered/endpoints/${endpointId}${query}`;
  // Warm both routes first (JIT, the wallet object, D1 pages), so neither pays the cold start in a measured round.
  const warm = [await load(meteredUrl, key, WARMUP), await load(unmeteredUrl, key, WARMUP)];
  const metered: Sample[] = [];
  const unmetered: Sample[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which route goes first, so drifting machine load favours neither.
    if (round % 2) {
      metered.push(await load(meteredUrl, key));
      unmetered.push(await load(unmeteredUrl, key));
    } else {
      unmetered.push(await load(unmeteredUrl, key));
      metered.push(await load(meteredUrl, key));
    }
    console.log(`round ${round}: metered ${metered.at(-1)!.rps.toFixed(0)} req/s, unmetered ${unmetered.at(-1)!.rps.toFixed(0)} req/s`);
  }
  const m = summarize(metered);
  const u = summarize(unmetered);
  const books = await (await fetch(`${BASE}/__bench/books/${buyerId}`)).json() as { audit: { ok: boolean }; chargesInD1: number; outbox: number };
  // Warm-up requests are billed too: every metered 200 must have its charge.
  const ok200 = metered.reduce((n, s) => n + s.ok, 0) + warm[0]!.ok;
  const errors = [...metered, ...unmetered, ...warm].reduce((n, s) => n + s.errors, 0);

  const wallet = await (await fetch(`${BASE}/__bench/wallet/charge?n=5000&concurrency=64`, { method: "POST" })).json() as {
    opsPerSec: number; ms: number; balanceOk: boolean;
  };

  console.log(`
GET /v1/endpoints/:id (${CONNECTIONS} connections, ${WARMUP} warm-up then ${ROUNDS} rounds of ${REQUESTS} requests per route, alternating)
  route        req/s    p50 ms   p99 ms
  metered    ${pad(m.rps)} ${pad(m.p50)} ${pad(m.p99)}
  unmetered  ${pad(u.rps)} ${pad(u.p50)} ${pad(u.p99)}
  metered / unmetered throughput: ${(m.rps / u.rps * 100).toFixed(1)}% (target >= 80%)

Billing check: ${ok200} metered 200s, ${books.chargesInD1} charge entries in D1, outbox ${books.outbox}, wallet audit ${books.audit.ok ? "ok" : "FAILED"}, non-2xx ${errors}
Wallet charge (inside workerd, one company, 64 in flight): ${wallet.opsPerSec.toFixed(0)} ops/s (5000 in ${wallet.ms.toFixed(0)} ms), books ${wallet.balanceOk ? "ok" : "FAILED"}
`);
  const pass = books.chargesInD1 === ok200 && books.audit.ok && errors === 0 && wallet.balanceOk;
  if (!pass) {
    console.error("bench: the books do not match the responses");
    process.exitCode = 1;
  }
} finally {
  stop();
}

interface Sample { rps: number; p50: number; p99: number; ok: number; errors: number }

async function load(url: string, key: string, amount = REQUESTS): Promise<Sample> {
  const result = await autocannon({ url, connections: CONNECTIONS, amount, headers: { "x-api-key": key } });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

function summarize(samples: Sample[]) {
  const mean = (f: (s: Sample) => number) => samples.reduce((n, s) => n + f(s), 0) / samples.length;
  return { rps: mean((s) => s.rps), p50: mean((s) => s.p50), p99: mean((s) => s.p99) };
}

function pad(n: number) {
  return n.toFixed(n < 100 ? 1 : 0).padStart(8);
}

async function waitUp() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("wrangler dev did not start");
}

/** A seller with a 5,000-row dataset and a listed endpoint, and a buyer with plenty of credits and its key. */
async function seed() {
  const anonymous = createTesseraClient(BASE);
  const admin = createTesseraClient(BASE, { apiKey: (await anonymous.admin.bootstrap.mutate({ token: ADMIN_TOKEN })).secret });
  const seller = await anonymous.companies.signUp.mutate({ name: "Bench Seller", isBuyer: false, isSeller: true });
  wrangler(["d1", "execute", "DB", "--local", "--command", `UPDATE companies SET can_sell = 1 WHERE id = '${seller.company.id}'`]);
  const lines = ["id,city,region,population"];
  for (let i = 1; i <= 5000; i++) lines.push(`${i},City ${i},${i % 2 ? "EU" : "US"},${i * 1000}`);
  const upload = await fetch(`${BASE}/v1/datasets?name=Cities&format=csv&filterable=region`, {
    method: "POST",
    headers: { "x-api-key": seller.apiKey.secret, "content-type": "text/csv" },
    body: lines.join("\n"),
  });
  if (!upload.ok) throw new Error(`upload failed: ${await upload.text()}`);
  const source = ((await upload.json()) as { data: { id: string } }).data;
  const sellerApi = createTesseraClient(BASE, { apiKey: seller.apiKey.secret });
  const endpoint = await sellerApi.products.create.mutate({
    type: "endpoint",
    name: "Cities",
    description: "Cities by region.",
    category: "Geo",
    dataSourceId: source.id,
    spec: { filters: [{ param: "region", column: "region", op: "eq" }], sort: { default: [{ column: "id", dir: "asc" }] } },
    priceUsd: "0.005",
    sellInMarketplace: true,
  });
  const buyer = await anonymous.companies.signUp.mutate({ name: "Bench Buyer" });
  await admin.admin.grant.mutate({ companyId: buyer.company.id, credits: 1_000_000, reason: "bench" });
  const buyerApi = createTesseraClient(BASE, { apiKey: buyer.apiKey.secret });
  const key = await buyerApi.marketplace.endpoints.key.mutate({ id: endpoint.id });
  return { endpointId: endpoint.id, key: key.secret!, buyerId: buyer.company.id };
}
