import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { callOrigin, createOrigin, getDataSource, originParams, verifyOriginSignature, type OriginSource } from "../../src/data";
import { companyId, deps as dataDeps } from "./helpers";
import { expectCode } from "../harness";

const secret = "tos_test_secret";
const source = (url = "https://origin.example/api/rows?v=2", timeoutMs = 5000): OriginSource => ({
  id: "src_test",
  companyId: "co_seller",
  kind: "origin",
  name: "Seller API",
  url,
  secret,
  timeoutMs,
  createdAt: 0,
});

/**
 * The seller's side, done exactly as src/data/origins/README.md tells a
 * seller (independently of Tessera's own signing code).
 */
async function sellerVerifies(req: Request): Promise<boolean> {
  const header = req.headers.get("x-tessera-signature") ?? "";
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=")));
  if (!parts.t || Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false;
  const url = new URL(req.url);
  const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
  const bodyHash = hex(await crypto.subtle.digest("SHA-256", new Uint8Array(await req.arrayBuffer())));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const message = `${parts.t}.${req.method}.${url.pathname}${url.search}.${bodyHash}`;
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message))) === parts.v1;
}

const seen: { url: string; verified: boolean; requestId: string | null }[] = [];
const origin = new Hono()
  .get("/api/rows", async (c) => {
    seen.push({ url: c.req.url, verified: await sellerVerifies(c.req.raw), requestId: c.req.header("x-tessera-request-id") ?? null });
    return c.json({ rows: [{ region: c.req.query("region"), n: 1 }], next_cursor: "page-2" });
  })
  .get("/api/value", (c) => c.json({ value: 0.42, kind: "percentage" }))
  .get("/api/fail", (c) => c.json({ error: "boom" }, 500))
  .get("/api/slow", async (c) => {
    await new Promise((r) => setTimeout(r, 2_000));
    return c.json({ rows: [] });
  })
  .get("/api/html", (c) => c.html("<h1>hello</h1>"))
  .get("/api/shape", (c) => c.json({ data: [1, 2] }))
  .get("/api/redirect", (c) => c.redirect("https://elsewhere.example/"));
const fetcher = (req: Request) => origin.fetch(req);

describe("callOrigin", () => {
  it("sends the buyer's params signed, and returns rows and the origin's cursor", async () => {
    seen.length = 0;
    const result = await callOrigin(fetcher, source(), { region: "EU", ids: [1, 2] }, { secrets: env, requestId: "req_1", cursor: "abc", pageSize: 50 });
    expect(result).toEqual({ rows: [{ region: "EU", n: 1 }], nextCursor: "page-2" });
    expect(seen).toEqual([
      { url: "https://origin.example/api/rows?v=2&region=EU&ids=1&ids=2&cursor=abc&page_size=50", verified: true, requestId: "req_1" },
    ]);
  });

  it("a tampered query or another secret fails the seller's check", async () => {
    let tampered = false;
    await callOrigin(
      async (req) => {
        const url = new URL(req.url);
        url.searchParams.set("region", "US");
        tampered = !(await sellerVerifies(new Request(url, { headers: req.headers })));
        return Response.json({ rows: [] });
      },
      source(),
      { region: "EU" },
      { secrets: env, requestId: "req_2" },
    );
    expect(tampered).toBe(true);
    let verified = true;
    await callOrigin(async (req) => ((verified = await sellerVerifies(req)), Response.json({ rows: [] })), { ...source(), secret: "other" }, {}, { secrets: env, requestId: "r" });
    expect(verified).toBe(false);
  });

  it("Tessera's own verifier (for sellers on Workers) agrees, and refuses stale calls", async () => {
    const checks: boolean[] = [];
    const check = async (req: Request, nowSeconds?: number) => {
      const url = new URL(req.url);
      const header = req.headers.get("x-tessera-signature")!;
      checks.push(await verifyOriginSignature(secret, header, { method: req.method, pathAndQuery: url.pathname + url.search }, { nowSeconds }));
      return Response.json({ rows: [] });
    };
    await callOrigin((req) => check(req), source(), { q: "a b&c" }, { secrets: env, requestId: "r" });
    await callOrigin((req) => check(req, Math.floor(Date.now() / 1000) + 301), source(), {}, { secrets: env, requestId: "r" });
    expect(checks).toEqual([true, false]);
  });

  it("returns a calculation's value", async () => {
    const result = await callOrigin(fetcher, source("https://origin.example/api/value"), {}, { secrets: env, requestId: "r", expect: "value" });
    expect(result).toEqual({ value: 0.42, kind: "percentage" });
  });

  it("maps a 500 to ORIGIN_ERROR", async () => {
    await expectCode(callOrigin(fetcher, source("https://origin.example/api/fail"), {}, { secrets: env, requestId: "r" }), "ORIGIN_ERROR", /answered 500/);
  });

  it("maps a slow origin to ORIGIN_TIMEOUT, on time", async () => {
    const started = Date.now();
    await expectCode(callOrigin(fetcher, source("https://origin.example/api/slow", 200), {}, { secrets: env, requestId: "r" }), "ORIGIN_TIMEOUT", /within 200 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("maps non-JSON and wrong shapes to a malformed ORIGIN_ERROR", async () => {
    await expectCode(callOrigin(fetcher, source("https://origin.example/api/html"), {}, { secrets: env, requestId: "r" }), "ORIGIN_ERROR", /malformed.*not JSON/);
    await expectCode(callOrigin(fetcher, source("https://origin.example/api/shape"), {}, { secrets: env, requestId: "r" }), "ORIGIN_ERROR", /malformed/);
    await expectCode(callOrigin(fetcher, source("https://origin.example/api/rows"), {}, { secrets: env, requestId: "r", expect: "value" }), "ORIGIN_ERROR", /malformed/);
  });

  it("does not follow redirects, and reports an unreachable origin", async () => {
    await expectCode(callOrigin(fetcher, source("https://origin.example/api/redirect"), {}, { secrets: env, requestId: "r" }), "ORIGIN_ERROR", /answered 302/);
    const down = () => Promise.reject(new TypeError("connection refused"));
    await expectCode(callOrigin(down, source(), {}, { secrets: env, requestId: "r" }), "ORIGIN_ERROR", /could not be reached/);
  });

  it("allows plain http only to this machine, and only when asked", async () => {
    const local = source("http://127.0.0.1:9999/api/rows");
    await expectCode(callOrigin(fetcher, local, {}, { secrets: env, requestId: "r" }), "ORIGIN_ERROR", /must point to a public internet host/);
    const ok = await callOrigin((req) => fetcher(new Request(req.url.replace("http://127.0.0.1:9999", "https://origin.example"), req)), local, {}, {
      secrets: env,
      requestId: "r",
      allowInsecureOrigins: true,
    });
    expect(ok.rows).toHaveLength(1);
    await expectCode(callOrigin(fetcher, source("http://origin.example/api/rows"), {}, { secrets: env, requestId: "r", allowInsecureOrigins: true }), "ORIGIN_ERROR", /must use https/);
  });
});

describe("createOrigin and originParams", () => {
  it("registers an origin with a fresh secret; refuses http and bad timeouts", async () => {
    const company = companyId();
    const deps = { ...dataDeps, secrets: env };
    const made = await createOrigin(deps, { companyId: company, name: "API", url: "https://seller.example/v1" });
    expect(made.signingSecret).toMatch(/^tos_[0-9a-f]{48}$/);
    expect(await getDataSource(deps, made.source.id, { companyId: company })).toEqual(made.source);
    await expect(createOrigin(deps, { companyId: company, name: "API", url: "http://seller.example" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(createOrigin(deps, { companyId: company, name: "API", url: "https://u:p@seller.example" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(createOrigin(deps, { companyId: company, name: "API", url: "https://seller.example", timeoutMs: 60_000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("checks the buyer's params against the declared ones", () => {
    const spec = {
      filters: [
        { param: "region", type: "text" as const, required: true },
        { param: "min", type: "integer" as const },
        { param: "vip", type: "boolean" as const },
        { param: "ids", type: "integer" as const, op: "in" as const },
      ],
    };
    expect(originParams(spec, { region: "EU", min: "5", vip: "1", ids: "1,2" })).toEqual({ region: "EU", min: 5, vip: true, ids: ["1", "2"] });
    expect(() => originParams(spec, {})).toThrow(/"region" is required/);
    expect(() => originParams(spec, { region: "EU", min: "five" })).toThrow(/"min" must be an integer/);
    expect(() => originParams(spec, { region: "EU", other: "x" })).toThrow(/"other" is not a parameter/);
    expect(() => originParams({ filters: [{ param: "x" }] }, {})).toThrow(/filters.0.type is required/);
  });
});
