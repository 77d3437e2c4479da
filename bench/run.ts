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
import { load, mcpRequest, median, seed, startBench, type Sample } from "./local.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Requests per route per round: a fixed count, so every billed request's response is counted. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Requests per route before measuring, not counted in the figures. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);

const bench = await startBench({ port: process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined });
const BASE = bench.base;
const post = bench.post;

try {
  const { endpointId, key, buyerId, mcpKey, mcpBuyerId } = await seed(bench);
  const query = "?region=EU&page_size=20";
  const routes = {
    plain: `${BASE}/health`,
    unmetered: `${BASE}/__bench/unmetered/endpoints/${endpointId}${query}`,
    metered: `${BASE}/v1/endpoints/${endpointId}${query}`,
  } as const;
  type Route = keyof typeof routes;
  const names = Object.keys(routes) as Route[];
  // Warm every route first (JIT, the key cache, the objects, the data), so none pays the cold start in a measured round.
  const warm = Object.fromEntries(await sequence(names.map((r) => () => load(bench, routes[r], key, WARMUP, CONNECTIONS)))) as unknown as Record<Route, Sample>;
  const mcpCall = mcpRequest(BASE, endpointId, query, mcpKey);
  const mcpWarm = await load(bench, mcpCall.url, key, WARMUP, CONNECTIONS, mcpCall);
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
        mcpSamples.push(await load(bench, mcpCall.url, key, REQUESTS, CONNECTIONS, mcpCall));
        mcpD1 += ((await (await fetch(`${BASE}/__bench/d1`)).json()) as { fetch: number }).fetch;
        continue;
      }
      if (route === "metered") await post("/__bench/d1/reset");
      samples[route].push(await load(bench, routes[route], key, REQUESTS, CONNECTIONS));
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
  bench.stop();
}

async function sequence<T>(steps: (() => Promise<T>)[]): Promise<[string, T][]> {
  const out: [string, T][] = [];
  for (const [i, step] of steps.entries()) out.push([["plain", "unmetered", "metered"][i]!, await step()]);
  return out;
}

