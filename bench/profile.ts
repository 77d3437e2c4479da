/**
 * `npm run bench:profile`: where a route's CPU goes. The bench's Tessera
 * (bench/local.ts) with the Worker's V8 inspector open; each route runs
 * under the CPU profiler (Chrome DevTools protocol). For each route it
 * prints the isolate's time per request by who spent it (the wallet object,
 * the rest of the JavaScript, native work, GC, idle), then the functions that
 * took the most samples, by their own time and with what they call. The profiles are saved as `.cpuprofile` files (open them in Chrome's
 * DevTools or speedscope) in test-results/bench/.
 *
 * The Worker and its Durable Objects share one isolate under wrangler dev,
 * so a metered call's profile holds the route, the product's object, the
 * dataset's and the wallet's work together. Functions are named as in the
 * bundle (src names, minus `#private` prefixes in some places).
 *
 *   PROFILE_ROUTES=metered,unmetered,mcp PROFILE_REQUESTS=3000 npm run bench:profile
 */
import { mkdirSync, writeFileSync } from "node:fs";
import WebSocket from "ws";
import { freePort } from "../scripts/stripe-local/free-port.ts";
import { load, mcpRequest, seed, startBench } from "./local.ts";

const ROUTES = (process.env.PROFILE_ROUTES ?? "metered,unmetered,mcp").split(",");
const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 3000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const TOP = Number(process.env.PROFILE_TOP ?? 25);
const OUT = "test-results/bench";

const inspectorPort = await freePort();
const bench = await startBench({ inspectorPort });
try {
  const { endpointId, key, mcpKey } = await seed(bench);
  const query = "?region=EU&page_size=20";
  const mcp = mcpRequest(bench.base, endpointId, query, mcpKey);
  const run = (route: string, amount: number) => {
    if (route === "mcp") return load(bench, mcp.url, key, amount, CONNECTIONS, mcp);
    const url = {
      plain: `${bench.base}/health`,
      unmetered: `${bench.base}/__bench/unmetered/endpoints/${endpointId}${query}`,
      metered: `${bench.base}/v1/endpoints/${endpointId}${query}`,
    }[route];
    if (!url) throw new Error(`PROFILE_ROUTES: no route ${route} (plain, unmetered, metered, mcp)`);
    return load(bench, url, key, amount, CONNECTIONS);
  };
  for (const route of ROUTES) await run(route, 300);

  const cdp = await inspector(inspectorPort);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  mkdirSync(OUT, { recursive: true });
  for (const route of ROUTES) {
    await cdp.send("Profiler.start");
    const sample = await run(route, REQUESTS);
    const { profile } = (await cdp.send("Profiler.stop")) as { profile: Profile };
    writeFileSync(`${OUT}/${route}.cpuprofile`, JSON.stringify(profile));
    console.log(`\n== ${route}: ${sample.rps.toFixed(0)} req/s, ${sample.cpuMs.toFixed(2)} ms workerd CPU per request (profiler on)`);
    console.log(split(profile, REQUESTS));
    console.log(summary(profile, TOP));
  }
  cdp.close();
  console.log(`\nProfiles: ${ROUTES.map((r) => `${OUT}/${r}.cpuprofile`).join(", ")}`);
} finally {
  bench.stop();
}

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  startTime: number;
  endTime: number;
}

/** The functions on each sample's stack, innermost first. */
function stacks(profile: Profile): string[][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return profile.samples.map((id) => {
    const names: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) names.push(byId.get(at)!.callFrame.functionName || "(anonymous)");
    return names;
  });
}

/**
 * The isolate's time per request, by who spent it: the wallet object's
 * operations (every stack under its group commit, \`#runGroup\`), the rest
 * of the JavaScript (the route, the product's and the dataset's objects, the
 * feed and the queues' consumers), native work outside JavaScript (RPC,
 * I/O), the garbage collector, and idle. Then what the wallet's time went to.
 */
function split(profile: Profile, requests: number): string {
  const perRequest = (profile.endTime - profile.startTime) / profile.samples.length / requests / 1000; // ms per sample, per request
  const where = new Map<string, number>();
  const wallet = new Map<string, number>();
  for (const names of stacks(profile)) {
    const inWallet = names.includes("#runGroup");
    const key = inWallet ? "wallet object" : names[0] === "(idle)" ? "idle" : names[0] === "(program)" ? "native" : names[0] === "(garbage collector)" ? "gc" : "route and other objects";
    where.set(key, (where.get(key) ?? 0) + perRequest);
    if (inWallet) for (const name of new Set(names)) wallet.set(name, (wallet.get(name) ?? 0) + perRequest);
  }
  const order = ["route and other objects", "wallet object", "native", "gc", "idle"];
  const line = order.map((k) => `${k} ${(where.get(k) ?? 0).toFixed(3)}`).join(", ");
  const inside = ["exec", "append", "take", "#log", "find", "spend", "setTimeout"]
    .filter((k) => wallet.has(k))
    .map((k) => `${k} ${wallet.get(k)!.toFixed(3)}`)
    .join(", ");
  return `time per request, ms: ${line}${inside ? `\nin the wallet, with callees, ms: ${inside}` : ""}`;
}

/** The Worker's inspector (wrangler dev proxies it), as a promise-returning CDP client. */
async function inspector(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const waiting = new Map<number, (result: unknown) => void>();
  let next = 0;
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result), waiting.delete(message.id);
  });
  return {
    send: (method: string, params: object = {}) =>
      new Promise<unknown>((resolve) => {
        const id = ++next;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** The top functions by their own samples, and by samples with their callees (each function counted once per stack). */
function summary(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const name = (id: number) => byId.get(id)!.callFrame.functionName || "(anonymous)";
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, count] of hits) {
    self.set(name(id), (self.get(name(id)) ?? 0) + count);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (seen.has(name(at))) continue;
      seen.add(name(at));
      total.set(name(at), (total.get(name(at)) ?? 0) + count);
    }
  }
  const n = profile.samples.length;
  const list = (m: Map<string, number>) =>
    [...m]
      .filter(([f]) => f !== "(root)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([f, c]) => `  ${((100 * c) / n).toFixed(1).padStart(5)}%  ${f}`)
      .join("\n");
  return `self:\n${list(self)}\nwith callees:\n${list(total)}`;
}
