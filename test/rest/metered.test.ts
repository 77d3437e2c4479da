/**
 * What the REST side adds to a metered answer (src/rest/metered.ts): the
 * answer's own headers (a payment challenge on 402), and the request log's
 * method as the route's.
 */
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/context";
import { unbilled } from "../../src/metering/billing";
import { meteredResponse } from "../../src/rest/metered";
import { h, BASE, eventually, workerFetch } from "../harness";

describe("a metered answer over REST", () => {
  it("carries the answer's headers, a 402's WWW-Authenticate included", async () => {
    const billing = unbilled("req_test");
    const body = { error: { code: "INSUFFICIENT_CREDITS", message: "Needs 1 credit.", requestId: "req_test" }, billing };
    const app = new Hono<AppEnv>().get("/", (c) =>
      meteredResponse(c, { status: 402, body, billing, headers: { "WWW-Authenticate": 'Payment realm="tessera"' } }),
    );
    const res = await app.request("/");
    expect([res.status, res.headers.get("www-authenticate"), await res.json()]).toEqual([402, 'Payment realm="tessera"', body]);
  });

  it("logs a HEAD of an endpoint as the GET the route serves", async () => {
    const e = await h.listedEndpoint({ buyerCredits: 10 });
    const res = await workerFetch(`${BASE}/v1/endpoints/${e.endpoint.id}?page_size=1`, { method: "HEAD", headers: { "x-api-key": e.key } });
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id");
    await eventually(async () => {
      const row = await env.DB.prepare("SELECT method, status FROM request_logs WHERE id = ?").bind(requestId).first();
      expect(row).toEqual({ method: "GET", status: 200 });
    });
  });
});
