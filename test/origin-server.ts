/**
 * Runs once in Node before the suites: a seller's HTTP origin on this machine
 * (bound as TEST_ORIGIN_URL), answering well, failing, stalling or talking
 * nonsense, so the billing rules meet real HTTP failures.
 */
import { createServer } from "node:http";

export default async function setup(): Promise<() => Promise<void>> {
  const port = Number(process.env.TEST_ORIGIN_PORT);
  // Low-balance alerts POSTed here (test/billing), with their headers, for /alerts/log.
  const alerts: { path: string; headers: Record<string, unknown>; body: string }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://origin");
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case "/rows":
        return json(200, {
          rows: [{ city: url.searchParams.get("city") ?? "Lisbon", signed: Boolean(req.headers["x-tessera-signature"]) }],
        });
      case "/signed":
        // What a seller needs to check the signature: the header and the request target as received.
        return json(200, { rows: [{ signature: req.headers["x-tessera-signature"] ?? null, target: req.url ?? "" }] });
      case "/empty":
        return json(200, { rows: [] });
      case "/value":
        return json(200, { value: 42.5 });
      case "/fail":
        return json(500, { message: "database is down" });
      case "/malformed":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end("{ rows: oops");
      case "/alerts":
      case "/alerts/down": {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
          alerts.push({ path: `${url.pathname}${url.search}`, headers: req.headers, body });
          json(url.pathname === "/alerts" ? 200 : 503, { ok: url.pathname === "/alerts" });
        });
        return;
      }
      case "/alerts/log":
        return json(200, alerts.filter((alert) => !url.searchParams.get("q") || alert.body.includes(url.searchParams.get("q")!)));
      case "/slow":
        return setTimeout(() => json(200, { rows: [] }), 3_000).unref();
      default:
        return json(404, { message: "no such path" });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
