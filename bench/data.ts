/**
 * `npm run bench:data`: the data path of an endpoint as datasets grow and as
 * a buyer pages, and a 100 MB upload, on `wrangler dev` with local D1 and
 * Durable Objects.
 *
 * - The same endpoint (a filter and a sort: region = EU, population
 *   descending) over a 1,000-row and a 1,000,000-row dataset: p50 of page 1
 *   on each, then on the large one p50 of a page past row 900,000 of the
 *   result, reached by walking its cursors and then asked again and again (a
 *   keyset seek each time).
 * - A 100 MB CSV uploaded in one request: MB/s, rows/s, and the workerd
 *   process's resident memory while it runs (sampled from /proc/<pid>/status,
 *   peak from VmHWM after resetting it through /proc/<pid>/clear_refs).
 *
 * Pages are asked through `/__bench/data/:productId` (src/bench/data.ts,
 * only with BENCH=1): `runProduct` as the metered call runs it, without the
 * key check and the wallet, and with the page cache off so every call
 * reaches the dataset's object. Latencies are of sequential requests on one
 * kept-alive connection, taken round-robin over the routes so that drifting
 * machine load falls on all of them alike.
 */
import { spawn, spawnSync } from "node:child_process";
import { workerdPids } from "./workerd.ts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createTesseraClient } from "../client/src/index.ts";

const PORT = Number(process.env.BENCH_PORT ?? 8798);
const BASE = `http://127.0.0.1:${PORT}`;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const LARGE_ROWS = Number(process.env.BENCH_LARGE_ROWS ?? 1_000_000);
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_BYTES ?? 100 * 1000 * 1000);
const PAGE_SIZE = 100;
const CONNECTIONS = 16;
/** A page past this row of the result (95% of the large dataset matches the filter). */
const DEEP_ROW = Math.min(900_000, Math.floor(LARGE_ROWS * 0.9));
const ADMIN_TOKEN = "bench-admin-token";
const MiB = 1024 * 1024;

const persist = mkdtempSync(path.join(tmpdir(), "tessera-bench-data-"));
const wrangler = (args: string[]) => spawnSync("npx", ["wrangler", ...args, "--persist-to", persist], { stdio: ["ignore", "ignore", "inherit"] });

wrangler(["d1", "migrations", "apply", "DB", "--local"]);
const dev = spawn(
  "npx",
  ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--log-level", process.env.BENCH_LOG_LEVEL ?? "warn", "--persist-to", persist,
    "--var", "BENCH:1", "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "CURSOR_SECRET:bench-cursor-secret", "--var", "KEY_SECRET:bench-key-secret"],
  // BENCH_LOG_LEVEL=debug shows wrangler's own output too.
  {
    stdio: ["ignore", process.env.BENCH_LOG_LEVEL ? "inherit" : "ignore", "inherit"],
    detached: true,
    // A registry of its own: another `wrangler dev` of this Worker on the machine would otherwise reload it mid-request.
    env: { ...process.env, WRANGLER_REGISTRY_PATH: path.join(persist, "registry") },
  },
);
const stop = () => {
  try {
    process.kill(-dev.pid!, "SIGTERM");
  } catch {}
  rmSync(persist, { recursive: true, force: true });
};
process.on("exit", stop);
process.on("SIGINT", () => process.exit(130));

try {
  await waitUp();
  const seller = await sellerKey();
  const spec = {
    columns: [{ column: "id" }, { column: "city" }, { column: "region" }, { column: "population" }],
    filters: [{ param: "region", column: "region", op: "eq" }],
    sort: { default: [{ column: "population", dir: "desc" }] },
  };
  const small = await endpointOver(seller, await upload(seller.key, "Cities 1k", citiesCsv(1000)), spec);
  const bigCsv = citiesCsv(LARGE_ROWS);
  const big = await endpointOver(seller, await upload(seller.key, "Cities 1M", bigCsv), spec);
  const query = `region=EU&page_size=${PAGE_SIZE}`;

  const { cursor, position } = await walkTo(big, query, DEEP_ROW);
  // Round-robin over the routes, so drifting machine load falls on all of them alike.
  const [firstSmall, firstBig, deep, cached, health] = (await p50s([
    `/__bench/data/${small}?${query}`,
    `/__bench/data/${big}?${query}`,
    `/__bench/data/${big}?${query}&cursor=${encodeURIComponent(cursor)}`,
    `/__bench/data/${big}?${query}&cache=1`,
    "/health",
  ])) as [number, number, number, number, number];
  const objectRps = await throughput(`/__bench/data/${big}?${query}`);
  const cacheRps = await throughput(`/__bench/data/${big}?${query}&cache=1`);
  const healthRps = await throughput("/health");

  const uploaded = await measureUpload(seller.key, UPLOAD_BYTES);

  console.log(`
Endpoint: region = EU (${Math.round(LARGE_ROWS * 0.95).toLocaleString("en")} of ${LARGE_ROWS.toLocaleString("en")} rows match), population descending, ${PAGE_SIZE} rows a page; ${SAMPLES} sequential rounds over the routes after ${WARMUP} warm-up, page cache off
  page 1, 1,000 rows        p50 ${firstSmall.toFixed(2)} ms
  page 1, ${LARGE_ROWS.toLocaleString("en")} rows    p50 ${firstBig.toFixed(2)} ms
  rows ${position.toLocaleString("en")}-${(position + PAGE_SIZE - 1).toLocaleString("en")}, by cursor p50 ${deep.toFixed(2)} ms
  page 1 from the page cache p50 ${cached.toFixed(2)} ms
  GET /health (no data)      p50 ${health.toFixed(2)} ms
  throughput, ${CONNECTIONS} connections: page 1 from the object ${objectRps.toFixed(0)} req/s, from the page cache ${cacheRps.toFixed(0)} req/s, GET /health ${healthRps.toFixed(0)} req/s
Upload: ${(uploaded.bytes / MiB).toFixed(1)} MiB, ${uploaded.rows.toLocaleString("en")} rows in one request, ${uploaded.seconds.toFixed(1)} s
  workerd resident memory: ${uploaded.baseMiB.toFixed(0)} MiB before, peak ${uploaded.peakMiB.toFixed(0)} MiB while uploading (VmHWM ${uploaded.hwmMiB.toFixed(0)} MiB)

page latency 1M/1k rows: ${(firstBig / firstSmall).toFixed(2)}
deep/first page latency: ${(deep / firstBig).toFixed(2)}
upload: ${(uploaded.bytes / MiB / uploaded.seconds).toFixed(1)} MB/s, ${Math.round(uploaded.rows / uploaded.seconds).toLocaleString("en")} rows/s
upload memory: peak ${uploaded.peakMiB.toFixed(0)} MiB resident for a ${(uploaded.bytes / MiB).toFixed(0)} MiB file (+${(uploaded.peakMiB - uploaded.baseMiB).toFixed(0)} MiB over the ${uploaded.baseMiB.toFixed(0)} MiB before)
`);
  const ok = firstBig / firstSmall <= 1.5 && deep / firstBig <= 1.5;
  if (!ok) {
    console.error("bench:data: a page latency ratio is over 1.5");
    process.exitCode = 1;
  }
} finally {
  stop();
}

/** `rows` cities: region EU for 19 in 20, population a scrambled function of the id (so the sort is not the upload order). */
function citiesCsv(rows: number): Buffer {
  const lines: string[] = ["id,city,region,population"];
  for (let i = 1; i <= rows; i++) lines.push(`${i},City ${i},${i % 20 === 0 ? "US" : "EU"},${(i * 7919) % 1_000_003}`);
  return Buffer.from(`${lines.join("\n")}\n`);
}

async function upload(key: string, name: string, body: Buffer): Promise<string> {
  const res = await fetch(`${BASE}/v1/datasets?name=${encodeURIComponent(name)}&format=csv&filterable=region`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "text/csv" },
    body,
  });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

async function endpointOver(seller: { key: string }, dataSourceId: string, spec: Record<string, unknown>): Promise<string> {
  // Plain HTTP rather than the typed client, so a failure shows what the server said.
  const res = await fetch(`${BASE}/trpc/products.create`, {
    method: "POST",
    headers: { "x-api-key": seller.key, "content-type": "application/json" },
    body: JSON.stringify({ type: "endpoint", name: `Cities ${dataSourceId.slice(-4)}`, dataSourceId, spec, priceUsd: "0.001" }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`products.create failed: ${res.status} ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { result: { data: { id: string } } }).result.data.id;
}

/** p50 in ms of each url over `SAMPLES` rounds of sequential GETs, one of each url a round, after `WARMUP` unmeasured rounds. */
async function p50s(urls: string[]): Promise<number[]> {
  const times = urls.map(() => [] as number[]);
  for (let round = 0; round < WARMUP + SAMPLES; round++) {
    for (const [i, url] of urls.entries()) {
      const start = performance.now();
      const res = await fetch(`${BASE}${url}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      if (round >= WARMUP) times[i]!.push(performance.now() - start);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!);
}

/** Requests per second of `url` under CONNECTIONS concurrent connections (after a warm-up). */
async function throughput(url: string): Promise<number> {
  await autocannon({ url: `${BASE}${url}`, connections: CONNECTIONS, amount: 300 });
  const start = performance.now();
  const result = await autocannon({ url: `${BASE}${url}`, connections: CONNECTIONS, amount: 3000 });
  const seconds = (performance.now() - start) / 1000; // autocannon's own figures round to whole seconds of the run
  if (result.non2xx + result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result["2xx"] / seconds;
}

/** Follows next cursors (1,000 rows a page) until the next page starts past result row `row`. */
async function walkTo(productId: string, query: string, row: number): Promise<{ cursor: string; position: number }> {
  let cursor: string | null = null;
  let seen = 0;
  while (seen < row) {
    const walkQuery: string = query.replace(`page_size=${PAGE_SIZE}`, "page_size=1000");
    const res = await fetch(`${BASE}/__bench/data/${productId}?${walkQuery}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    const body = (await res.json()) as { data: unknown[]; next_cursor: string | null };
    if (!body.next_cursor) throw new Error(`the result ended at row ${seen + body.data.length}`);
    seen += body.data.length;
    cursor = body.next_cursor;
  }
  return { cursor: cursor!, position: seen + 1 };
}

/** Uploads about `bytes` of CSV in one request while sampling workerd's resident memory. */
async function measureUpload(key: string, bytes: number) {
  const lines: string[] = ["id,city,region,population,growth_pct,founded"];
  let size = lines[0]!.length + 1;
  let rows = 0;
  while (size < bytes - 100) {
    rows++;
    const line = `${rows},City number ${rows},${["EU", "US", "APAC", "LATAM"][rows % 4]},${(rows * 7919) % 9_999_991},${((rows % 200) - 100) / 10},${1000 + (rows % 1000)}-0${(rows % 9) + 1}-1${rows % 10}`;
    lines.push(line);
    size += line.length + 1;
  }
  const body = Buffer.from(`${lines.join("\n")}\n`);
  lines.length = 0;
  const pid = workerdPids(dev.pid!).runtime;
  writeFileSync(`/proc/${pid}/clear_refs`, "5"); // resets VmHWM to the current resident size
  const base = memoryOf(pid).rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 50);
  const start = performance.now();
  try {
    await upload(key, "Upload 100 MB", body);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - start) / 1000;
  return { bytes: body.length, rows, seconds, baseMiB: base / MiB, peakMiB: peak / MiB, hwmMiB: memoryOf(pid).hwm / MiB };
}

function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
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

async function sellerKey() {
  const anonymous = createTesseraClient(BASE);
  const seller = await anonymous.companies.signUp.mutate({ name: "Bench Data Seller", isBuyer: false, isSeller: true });
  return { key: seller.apiKey.secret };
}
