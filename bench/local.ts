/**
 * What the benches share: a local Tessera of their own (one `wrangler dev`
 * in bench mode on a free port, with a fresh --persist-to directory), the
 * marketplace they measure (a seller's 5,000-row endpoint and two funded
 * buyers), and one load run with its figures.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createTesseraClient } from "../client/src/index.ts";
import { freePort } from "../scripts/stripe-local/free-port.ts";
import { cpuMs, workerdPids } from "./workerd.ts";

const ADMIN_TOKEN = "bench-admin-token";

export interface Bench {
  base: string;
  /** The wrangler dev process (its workerd children are the Worker's). */
  pid: number;
  post(route: string): Promise<Response>;
  stop(): void;
}

/** Starts the bench's Tessera and waits until it answers; `inspectorPort` opens the Worker's V8 inspector (bench/profile.ts). */
export async function startBench(opts: { port?: number; inspectorPort?: number } = {}): Promise<Bench> {
  // A port of its own: another wrangler dev (a demo, another bench) may be running on this machine.
  const port = opts.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const persist = mkdtempSync(path.join(tmpdir(), "tessera-bench-"));
  spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { stdio: ["ignore", "ignore", "inherit"] });
  const inspector = opts.inspectorPort ? ["--inspector-port", String(opts.inspectorPort)] : [];
  const dev = spawn(
    "npx",
    ["wrangler", "dev", ...inspector, "--port", String(port), "--ip", "127.0.0.1", "--log-level", "warn", "--persist-to", persist,
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
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, pid: dev.pid!, post: (route) => fetch(`${base}${route}`, { method: "POST" }), stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error("wrangler dev did not start");
}

export interface Sample { rps: number; p50: number; p99: number; ok: number; errors: number; cpuMs: number }

export interface JsonRpcCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One `tools/call` of fetch_endpoint_page, as an MCP client sends it (stateless: no session to open first). */
export function mcpRequest(base: string, endpointId: string, query: string, companyKey: string): JsonRpcCall {
  const params = new URLSearchParams(query.slice(1));
  const filters = Object.fromEntries([...params].filter(([k]) => k !== "page_size"));
  return {
    url: `${base}/mcp`,
    headers: { authorization: `Bearer ${companyKey}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "fetch_endpoint_page", arguments: { endpoint_id: endpointId, filters, page_size: Number(params.get("page_size")) } },
    }),
  };
}

/** `amount` requests on `connections`, timed to the last response, with the workerd CPU they cost. */
export async function load(bench: Bench, url: string, key: string, amount: number, connections: number, rpc?: JsonRpcCall): Promise<Sample> {
  // A tool error is an HTTP 200: MCP answers are read, and a failed tool call counts as an error.
  let toolErrors = 0;
  const pids = workerdPids(bench.pid).all;
  const cpuBefore = cpuMs(pids);
  const started = performance.now();
  let lastResponse = started;
  const run = autocannon({
    url,
    connections,
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


export function median(samples: Sample[]): Sample {
  const mid = (f: (s: Sample) => number) => {
    const sorted = samples.map(f).sort((a, b) => a - b);
    const h = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
  };
  return { rps: mid((s) => s.rps), p50: mid((s) => s.p50), p99: mid((s) => s.p99), ok: 0, errors: 0, cpuMs: mid((s) => s.cpuMs) };
}

/** A seller with a 5,000-row dataset and a listed endpoint, and a buyer with plenty of credits and its key. */
export async function seed(bench: Bench) {
  const BASE = bench.base;
  const post = bench.post;
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
