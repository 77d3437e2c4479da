/**
 * `npm run bench`: the metered endpoint side by side with the same query
 * served with no wallet call, with a plain `GET /health` and through the
 * MCP server (`tools/call fetch_endpoint_page` with a company key, for a
 * buyer of its own), in one `wrangler dev` run with local D1, Durable
 * Objects and Queues; then the wallet's metered operation inside workerd.
 *
 * After a warm-up of every route, rounds run the three routes in a rotating
 * order so all meet the same machine noise; figures are medians over the
 * rounds. D1 queries are counted by the Worker itself (BENCH mode wraps its
 * D1 bindings) over the measured metered rounds. Afterwards the books must
 * hold: billed ledger entries = metered 200s, D1's copy = the wallet once
 * the queues drained.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createTesseraClient } from "../client/src/index.ts";
import { freePort } from "../scripts/stripe-local/free-port.ts";
import { cpuMs, workerdPids } from "./workerd.ts";

// A port of its own: another wrangler dev (a demo, another bench) may be running on this machine.
const PORT = Number(process.env.BENCH_PORT ?? (await freePort()));
const BASE = `http://127.0.0.1:${PORT}`;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
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
    "--var", "BENCH:1", "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "KEY_SECRET:bench-key-secret", "--var", "CURSOR_SECRET:bench-cursor-secret"],
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
  const { endpointId, key, buyerId, mcpKey, mcpBuyerId } = await seed();
  const query = "?region=EU&page_size=20";
  const routes = {
    plain: `${BASE}/health`,
    unmetered: `${BASE}/__bench/unmetered/endpoints/${endpointId}${query}`,
    metered: `${BASE}/v1/endpoints/${endpointId}${query}`,
  } as const;
  type Route = keyof typeof routes;
  const names = Object.keys(routes) as Route[];
  // Warm every route first (JIT, the key cache, the objects, the data), so none pays the cold start in a measured round.
  const warm = Object.fromEntries(await sequence(names.map((r) => () => load(routes[r], key, WARMUP)))) as unknown as Record<Route, Sample>;
  const mcpCall = mcpRequest(endpointId, query, mcpKey);
  const mcpWarm = await load(mcpCall.url, key, WARMUP, mcpCall);
  const mcpSamples: Sample[] = [];
  const samples: Record<Route, Sample[]> = { plain: [], unmetered: [], metered: [] };
  let d1 = 0;
  let feedD1 = 0;
  let mcpD1 = 0;
  const order = [...names, "mcp"] as const;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order, so drifting machine load favours no route.
    for (const route of order.map((_, i) => order[(i + round) % order.length]!)) {
      if (route === "mcp") {
        await post("/__bench/d1/reset");
        mcpSamples.push(await load(mcpCall.url, key, REQUESTS, mcpCall));
        mcpD1 += ((await (await fetch(`${BASE}/__bench/d1`)).json()) as { fetch: number }).fetch;
        continue;
      }
      if (route === "metered") await post("/__bench/d1/reset");
      samples[route].push(await load(routes[route], key));
      if (route === "metered") {
        const counted = (await (await fetch(`${BASE}/__bench/d1`)).json()) as { fetch: number; queue: number };
        d1 += counted.fetch;
        feedD1 += counted.queue;
      }
    }
    console.log(`round ${round + 1}: ${names.map((r) => `${r} ${samples[r].at(-1)!.rps.toFixed(0)}`).join(", ")} req/s`);
  }
  const m = median(samples.metered);
  const u = median(samples.unmetered);
  const p = median(samples.plain);
  const meteredCalls = samples.metered.reduce((n, s) => n + s.ok + s.errors, 0);
  const books = (await (await fetch(`${BASE}/__bench/books/${buyerId}`)).json()) as {
    audit: { ok: boolean; entries: number; calls: number };
    copy: { entries: number; charges: number; calls: number };
    outbox: number;
  };
  // Warm-up requests are billed too: every metered 200 must have its charge.
  const ok200 = samples.metered.reduce((n, s) => n + s.ok, 0) + warm.metered.ok;
  const errors = names.flatMap((r) => [...samples[r], warm[r]]).reduce((n, s) => n + s.errors, 0);
  const walletRun = (await (await post("/__bench/wallet/metered?n=5000&concurrency=64")).json()) as {
    opsPerSec: number;
    ms: number;
    rowsPerOp: number;
    feedRowsPerOp: number;
    balanceOk: boolean;
  };
  // For scale: an RPC that writes nothing, and a bare charge, in the same conditions.
  const walletRead = (await (await post("/__bench/wallet/read?n=5000&concurrency=64")).json()) as { opsPerSec: number };
  const walletCharge = (await (await post("/__bench/wallet/charge?n=5000&concurrency=64")).json()) as { opsPerSec: number; balanceOk: boolean };
  const mcp = median(mcpSamples);
  const mcpOk = mcpSamples.reduce((n, s) => n + s.ok, 0) + mcpWarm.ok;
  const mcpErrors = [...mcpSamples, mcpWarm].reduce((n, s) => n + s.errors, 0);
  const mcpBooks = (await (await fetch(`${BASE}/__bench/books/${mcpBuyerId}`)).json()) as typeof books;

  const line = (name: string, s: Sample) => `${name.padEnd(9)} ${s.rps.toFixed(0)} req/s  p50 ${s.p50.toFixed(0)} ms  p99 ${s.p99.toFixed(0)} ms`;
  console.log(`
${line("plain", p)}
${line("unmetered", u)}
${line("metered", m)}
metered/unmetered: ${(m.rps / u.rps).toFixed(2)}
metered/plain: ${(m.rps / p.rps).toFixed(2)}
D1 queries per metered call: ${(d1 / meteredCalls).toFixed(d1 === 0 ? 0 : 3)}
wallet metered call: ${walletRun.opsPerSec.toFixed(0)} ops/s
mcp fetch_endpoint_page: ${mcp.rps.toFixed(0)} calls/s  p50 ${mcp.p50.toFixed(0)} ms  p99 ${mcp.p99.toFixed(0)} ms
mcp/metered: ${(mcp.rps / m.rps).toFixed(2)}
D1 queries per mcp page: ${(mcpD1 / mcpSamples.reduce((n, s) => n + s.ok + s.errors, 0)).toFixed(mcpD1 === 0 ? 0 : 3)}

(${CONNECTIONS} connections; ${WARMUP} warm-up requests per route, then ${ROUNDS} rounds of ${REQUESTS} per route, rotating; medians.)
workerd CPU per request (the Worker, its objects and the queues' consumers; median of rounds): plain ${p.cpuMs.toFixed(2)} ms, unmetered ${u.cpuMs.toFixed(2)} ms, metered ${m.cpuMs.toFixed(2)} ms
D1 writes by the feed's consumer during the metered rounds, per metered call: ${(feedD1 / meteredCalls).toFixed(3)} (batched, off the call's path)
Books: ${ok200} metered 200s, ${books.copy.charges} charges in D1; D1 copy ${books.copy.entries}/${books.audit.entries} ledger entries and ${books.copy.calls}/${books.audit.calls} log rows; wallet audit ${books.audit.ok ? "ok" : "FAILED"}; non-2xx ${errors}
Wallet metered call: 5000 in ${walletRun.ms} ms (key check + charge + log row, 64 in flight), ${walletRun.rowsPerOp} SQLite rows written per call (indexes included) and ${walletRun.feedRowsPerOp} by the feed's sends, books ${walletRun.balanceOk ? "ok" : "FAILED"}
Wallet, same conditions: read-only RPC ${walletRead.opsPerSec} ops/s, bare charge ${walletCharge.opsPerSec} ops/s (group commit: calls arriving together share one storage commit)
MCP books: ${mcpOk} billed tool results, ${mcpBooks.copy.charges} charges in D1; D1 copy ${mcpBooks.copy.entries}/${mcpBooks.audit.entries} ledger entries; wallet audit ${mcpBooks.audit.ok ? "ok" : "FAILED"}; errors ${mcpErrors}
`);
  const pass =
    books.copy.charges === ok200 &&
    books.copy.entries === books.audit.entries &&
    books.copy.calls === books.audit.calls &&
    books.audit.ok &&
    errors === 0 &&
    walletRun.balanceOk &&
    walletCharge.balanceOk &&
    mcpBooks.copy.charges === mcpOk &&
    mcpBooks.copy.entries === mcpBooks.audit.entries &&
    mcpBooks.audit.ok &&
    mcpErrors === 0;
  if (!pass) {
    console.error("bench: the books do not match the responses");
    process.exitCode = 1;
  }
} finally {
  stop();
}

interface Sample { rps: number; p50: number; p99: number; ok: number; errors: number; cpuMs: number }

interface JsonRpcCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One `tools/call` of fetch_endpoint_page, as an MCP client sends it (stateless: no session to open first). */
function mcpRequest(endpointId: string, query: string, companyKey: string): JsonRpcCall {
  const params = new URLSearchParams(query.slice(1));
  const filters = Object.fromEntries([...params].filter(([k]) => k !== "page_size"));
  return {
    url: `${BASE}/mcp`,
    headers: { authorization: `Bearer ${companyKey}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "fetch_endpoint_page", arguments: { endpoint_id: endpointId, filters, page_size: Number(params.get("page_size")) } },
    }),
  };
}

async function load(url: string, key: string, amount = REQUESTS, rpc?: JsonRpcCall): Promise<Sample> {
  // A tool error is an HTTP 200: MCP answers are read, and a failed tool call counts as an error.
  let toolErrors = 0;
  const pids = workerdPids(dev.pid!).all;
  const cpuBefore = cpuMs(pids);
  const started = performance.now();
  let lastResponse = started;
  const run = autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    ...(rpc
      ? {
          method: "POST" as const,
          headers: rpc.headers,
          body: rpc.body,
          requests: [{ onResponse: (status: number, body: string) => void (status === 200 && !body.includes('"billed":true') && toolErrors++) }],
        }
      : { headers: { "x-api-key": key } }),
  });
  // autocannon notices the end only at its next one-second tick: time the run to its last response.
  // Without a callback the instance is both the promise and the event emitter.
  (run as unknown as NodeJS.EventEmitter).on("response", () => (lastResponse = performance.now()));
  const result = await run;
  const seconds = (lastResponse - started) / 1000;
  const requests = Math.max(result.requests.total, 1);
  return {
    // Requests over the run's duration (autocannon's per-second figures are too coarse for runs of a few seconds).
    rps: result.requests.total / seconds,
    // CPU the Worker's processes spent per request (workerd's user + system time): what a request costs, whatever else the machine runs.
    cpuMs: (cpuMs(pids) - cpuBefore) / requests,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"] - toolErrors,
    errors: result.non2xx + result.errors + result.timeouts + toolErrors,
  };
}

async function sequence<T>(steps: (() => Promise<T>)[]): Promise<[string, T][]> {
  const out: [string, T][] = [];
  for (const [i, step] of steps.entries()) out.push([["plain", "unmetered", "metered"][i]!, await step()]);
  return out;
}

function post(route: string) {
  return fetch(`${BASE}${route}`, { method: "POST" });
}

function median(samples: Sample[]): Sample {
  const mid = (f: (s: Sample) => number) => {
    const sorted = samples.map(f).sort((a, b) => a - b);
    const h = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
  };
  return { rps: mid((s) => s.rps), p50: mid((s) => s.p50), p99: mid((s) => s.p99), ok: 0, errors: 0, cpuMs: mid((s) => s.cpuMs) };
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
  // Not `wrangler d1 execute`: a second wrangler touching .wrangler/ restarts the running one mid-request.
  await post(`/__bench/can-sell/${seller.company.id}`);
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
  // The MCP route's buyer, apart, so each route's books are checked on their own.
  const mcpBuyer = await anonymous.companies.signUp.mutate({ name: "Bench MCP Buyer" });
  await admin.admin.grant.mutate({ companyId: mcpBuyer.company.id, credits: 1_000_000, reason: "bench" });
  return { endpointId: endpoint.id, key: key.secret!, buyerId: buyer.company.id, mcpKey: mcpBuyer.apiKey.secret, mcpBuyerId: mcpBuyer.company.id };
}
