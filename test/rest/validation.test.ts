/**
 * A request that fails its route's schema: on a metered route it is answered
 * like any call refused before the product (the key checked first, logged,
 * never billed); elsewhere it is a plain 400 BAD_REQUEST.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { h, eventually, rest } from "../harness";

describe("a request that fails its schema", () => {
  it("on a metered route: the key is checked first", async () => {
    const e = await h.listedEndpoint({ buyerCredits: 10 });
    const res = await rest(`/v1/endpoints/${e.endpoint.id}?page_size=1&page_size=2`);
    expect([res.status, res.body.error.code, res.body.billing]).toEqual([401, "UNAUTHORIZED", { billed: false, credits: 0, request_id: res.body.error.requestId }]);
  });

  it("on a metered route: INVALID_FILTER naming the parameter, unbilled and in the request log", async () => {
    const e = await h.listedEndpoint({ buyerCredits: 10 });
    const res = await rest(`/v1/endpoints/${e.endpoint.id}?page_size=1&page_size=2`, { key: e.key });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "INVALID_FILTER", message: 'Parameter "page_size" takes one value.', requestId: expect.stringMatching(/^req_/) });
    expect(res.body.billing).toEqual({ billed: false, credits: 0, request_id: res.body.error.requestId });
    expect((await e.buyer.api.credits.balance.query()).availableCredits).toBe(10);
    await eventually(async () => {
      const row = await env.DB.prepare("SELECT status, error_code, billed FROM request_logs WHERE id = ?").bind(res.body.error.requestId).first();
      expect(row).toEqual({ status: 400, error_code: "INVALID_FILTER", billed: 0 });
    });
  });

  it("on a metered route: a malformed Idempotency-Key is BAD_REQUEST, unbilled", async () => {
    const e = await h.listedEndpoint({ buyerCredits: 10 });
    const res = await rest(`/v1/endpoints/${e.endpoint.id}`, { key: e.key, headers: { "idempotency-key": "spaces are not allowed" } });
    expect([res.status, res.body.error.code, res.body.error.message, res.body.billing.billed]).toEqual([
      400,
      "BAD_REQUEST",
      "Idempotency-Key must be 1 to 255 letters, digits or . _ : -",
      false,
    ]);
    expect((await e.buyer.api.credits.balance.query()).availableCredits).toBe(10);
  });

  it("on an unmetered route: BAD_REQUEST in the one error shape, no billing", async () => {
    const s = await h.seller();
    for (const query of ["name=X&format=xlsx", "name=X&format=csv&format=json"]) {
      const res = await rest(`/v1/datasets?${query}`, { key: s.key, method: "POST", body: "a\n1\n" });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: "BAD_REQUEST", message: "format must be one of csv, json, ndjson.", requestId: expect.stringMatching(/^req_/) } });
    }
    const buyer = await h.buyer({ name: "Not A Seller" });
    expect((await rest("/v1/datasets?name=X&format=csv", { key: buyer.key, method: "POST", body: "a\n1\n" })).body.error.code).toBe("FORBIDDEN");
  });
});
