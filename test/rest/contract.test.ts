/**
 * The contract: every REST route's real answers, successes and errors,
 * against the response schema its route declares for that status (the same
 * schema the OpenAPI document is generated from). A body must parse, and
 * parse to itself: a field the schema doesn't name fails the test.
 */
import { env } from "cloudflare:workers";
import type { RouteConfig, z } from "@hono/zod-openapi";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { datasetLimits } from "../../src/data";
import { getHealth } from "../../src/rest/health";
import { getCredits } from "../../src/rest/companies/credits";
import { getEarnings } from "../../src/rest/companies/earnings";
import { getPayoutReport } from "../../src/rest/companies/payout-report";
import { executeAsset } from "../../src/rest/v1/assets";
import { completeDatasetUpload } from "../../src/rest/v1/datasets/complete";
import { deleteDataset } from "../../src/rest/v1/datasets/delete";
import { getDataset } from "../../src/rest/v1/datasets/get";
import { listDatasets } from "../../src/rest/v1/datasets/list";
import { uploadPart } from "../../src/rest/v1/datasets/part";
import { startDatasetUpload } from "../../src/rest/v1/datasets/start";
import { uploadDataset } from "../../src/rest/v1/datasets/upload";
import { fetchEndpoint } from "../../src/rest/v1/endpoints";
import { stripeWebhook } from "../../src/webhooks/stripe";
import { h, BASE, citiesCsv, workerFetch } from "../harness";

const routes = [
  getHealth,
  fetchEndpoint,
  executeAsset,
  uploadDataset,
  startDatasetUpload,
  uploadPart,
  completeDatasetUpload,
  listDatasets,
  getDataset,
  deleteDataset,
  getCredits,
  getEarnings,
  getPayoutReport,
  stripeWebhook,
];
const checked = new Set<string>();

/** Calls the worker and checks the answer against `route`'s schema for its status; returns the parsed JSON. */
async function call(route: RouteConfig, path: string, init: RequestInit & { key?: string } = {}): Promise<any> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("x-api-key", init.key);
  const res = await workerFetch(`${BASE}${path}`, { ...init, headers });
  const documented = route.responses[res.status];
  expect(documented, `${route.operationId} documents ${res.status}`).toBeDefined();
  const [mediaType, media] = Object.entries((documented as { content: Record<string, { schema: z.ZodType }> }).content)[0]!;
  expect(res.headers.get("content-type")).toContain(mediaType);
  checked.add(`${route.operationId} ${res.status}`);
  if (mediaType !== "application/json") {
    expect(new TextDecoder().decode((await res.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    return undefined;
  }
  const body = await res.json();
  const parsed = media.schema.safeParse(body);
  expect(parsed.error?.issues, `${route.operationId} ${res.status}: ${JSON.stringify(body)}`).toBeUndefined();
  expect(parsed.data, `${route.operationId} ${res.status}: nothing outside the schema`).toEqual(body);
  return body;
}

/** A finished dataset of `bytes` the company already has: only its size counts, against the quota. */
async function storedBytes(companyId: string, bytes: number) {
  await env.DB.prepare(
    "INSERT INTO data_sources (id, company_id, kind, name, status, row_count, columns, size_bytes, created_at) VALUES (?, ?, 'dataset', 'Old', 'ready', 0, '[]', ?, ?)",
  )
    .bind(`src_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`, companyId, bytes, Date.now())
    .run();
}

const json = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

describe("every route answers as its schema says", () => {
  it("GET /health", async () => {
    expect(await call(getHealth, "/health")).toEqual({ ok: true });
  });

  it("GET /v1/endpoints/:endpointId", async () => {
    const e = await h.listedEndpoint({ buyerCredits: 10 });
    const other = await h.listedEndpoint({ buyerCredits: 10 });
    const page = `/v1/endpoints/${e.endpoint.id}`;
    expect((await call(fetchEndpoint, `${page}?region=EU&page_size=2`, { key: e.key })).data).toHaveLength(2);
    expect((await call(fetchEndpoint, `${page}?region=Atlantis`, { key: e.key })).data).toEqual([]);
    expect((await call(fetchEndpoint, `${page}?min_population=lots`, { key: e.key })).error.code).toBe("INVALID_FILTER");
    expect((await call(fetchEndpoint, `${page}?page_size=1&page_size=2`, { key: e.key })).error.code).toBe("INVALID_FILTER");
    expect((await call(fetchEndpoint, page, { key: e.key, headers: { "idempotency-key": "not ok!" } })).error.code).toBe("BAD_REQUEST");
    expect((await call(fetchEndpoint, page)).error.code).toBe("UNAUTHORIZED");
    expect((await call(fetchEndpoint, page, { key: e.buyer.key })).error.code).toBe("UNAUTHORIZED");
    expect((await call(fetchEndpoint, page, { key: other.key })).error.code).toBe("FORBIDDEN");
    expect((await call(fetchEndpoint, "/v1/endpoints/ept_nope", { key: e.key })).error.code).toBe("NOT_FOUND");
    await call(fetchEndpoint, page, { key: e.key, headers: { "idempotency-key": "page-1" } });
    expect((await call(fetchEndpoint, `${page}?region=US`, { key: e.key, headers: { "idempotency-key": "page-1" } })).error.code).toBe("CONFLICT");
    const replay = await call(fetchEndpoint, page, { key: e.key, headers: { "idempotency-key": "page-1" } });
    expect(replay.billing).toMatchObject({ billed: false, replayed: true });

    const poor = await h.listedEndpoint({ priceUsd: "5", buyerCredits: 1 });
    expect((await call(fetchEndpoint, `/v1/endpoints/${poor.endpoint.id}`, { key: poor.key })).error.code).toBe("INSUFFICIENT_CREDITS");

    // A capped key: what it may still spend, on its success and on its refusal.
    const capped = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 10 });
    const {
      items: [cappedKey],
    } = await capped.buyer.api.marketplace.endpoints.keys.query();
    await capped.buyer.api.keys.setCaps.mutate({ keyId: cappedKey!.id, totalCredits: 1 });
    const cappedPage = `/v1/endpoints/${capped.endpoint.id}`;
    expect((await call(fetchEndpoint, cappedPage, { key: capped.key })).billing).toMatchObject({ billed: true, budget: { day: null, month: null, total: 0 } });
    const over = await call(fetchEndpoint, cappedPage, { key: capped.key });
    expect([over.error.code, over.billing.billed, over.billing.budget]).toEqual(["BUDGET_EXCEEDED", false, { day: null, month: null, total: 0 }]);
  });

  it("POST /v1/assets/:assetId/executions", async () => {
    const s = await h.seller();
    const source = await h.dataset(s.company.id, citiesCsv(10));
    const { total, chart } = await h.cityAssets(s, source.id, { total: "1", chart: "1" });
    const buyer = await h.buyer({ credits: 20 });
    const run = (id: string) => `/v1/assets/${id}/executions`;
    expect((await call(executeAsset, run(total.id), { key: buyer.key, ...json({ params: { region: "EU" } }) })).data.result.type).toBe("calculation");
    expect((await call(executeAsset, run(chart.id), { key: buyer.key, method: "POST" })).data.result.type).toBe("visualization");
    expect((await call(executeAsset, run(total.id), { key: buyer.key, method: "POST", body: "{not json" })).error.code).toBe("BAD_REQUEST");
    expect((await call(executeAsset, run(total.id), { key: buyer.key, ...json({ params: { nope: 1 } }) })).error.code).toBe("INVALID_FILTER");
    expect((await call(executeAsset, run(total.id), { method: "POST" })).error.code).toBe("UNAUTHORIZED");
    const reader = await buyer.api.keys.create.mutate({ name: "read", scope: "read" });
    expect((await call(executeAsset, run(total.id), { key: reader.secret, method: "POST" })).error.code).toBe("FORBIDDEN");
    expect((await call(executeAsset, run("ast_nope"), { key: buyer.key, method: "POST" })).error.code).toBe("NOT_FOUND");
    const poor = await h.buyer({ credits: 1 });
    expect((await call(executeAsset, run(total.id), { key: poor.key, method: "POST" })).error.code).toBe("INSUFFICIENT_CREDITS");
  });

  it("POST /v1/datasets", async () => {
    const s = await h.seller();
    const upload = (query: string, body: string, key: string | null = s.key, headers: Record<string, string> = {}) =>
      call(uploadDataset, `/v1/datasets?${query}`, { ...(key ? { key } : {}), method: "POST", body, headers });
    expect((await upload("name=Parts&format=csv&filterable=sku", "sku,name\n1,Widget\n")).data).toMatchObject({ kind: "dataset", rowCount: 1 });
    // A JSON file with its Content-Type: the body is the dataset's, never parsed by the route.
    const events = await upload("name=Events", JSON.stringify([{ a: 1 }, { a: 2 }]), s.key, { "content-type": "application/json" });
    expect(events.data).toMatchObject({ status: "ready", rowCount: 2 });
    expect((await upload("name=Parts&format=xlsx", "a\n1\n")).error.code).toBe("BAD_REQUEST");
    expect((await upload("name=Broken&format=csv", "a,b\n1\n")).error.code).toBe("INVALID_DATASET");
    expect((await upload("name=Parts&format=csv", "a\n1\n", null)).error.code).toBe("UNAUTHORIZED");
    const buyer = await h.buyer({ name: "Only Buying" });
    expect((await upload("name=Parts&format=csv", "a\n1\n", buyer.key)).error.code).toBe("FORBIDDEN");
    expect((await upload("name=Huge&format=csv", "a\n1\n", s.key, { "content-length": String(150 * 1024 * 1024) })).error.code).toBe("PAYLOAD_TOO_LARGE");
    const full = await h.seller({ name: "Full Seller" });
    await storedBytes(full.company.id, datasetLimits(env).quotaBytes);
    expect((await upload("name=Over&format=csv", "a\n1\n", full.key)).error.code).toBe("QUOTA_EXCEEDED");
  });

  it("POST /v1/datasets/uploads, PUT .../parts/:part, POST .../complete", async () => {
    const s = await h.seller();
    const other = await h.seller({ name: "Other Seller" });
    const open = (query: string, key: string | null = s.key) => call(startDatasetUpload, `/v1/datasets/uploads?${query}`, { ...(key ? { key } : {}), method: "POST" });
    const started = (await open("name=Parts&format=csv")).data;
    expect(started).toMatchObject({ status: "loading", upload: { phase: "receiving", parts: 0, bytes: 0, rows: 0 } });
    expect((await open("name=Parts&format=xlsx")).error.code).toBe("BAD_REQUEST");
    expect((await open("format=csv")).error.code).toBe("INVALID_DATASET");
    expect((await open("name=Parts&format=csv", null)).error.code).toBe("UNAUTHORIZED");
    expect((await open("name=Parts&format=csv", (await h.buyer({ name: "Buyer Only" })).key)).error.code).toBe("FORBIDDEN");

    const put = (id: string, part: string | number, body: string, key: string | null = s.key, headers: Record<string, string> = {}) =>
      call(uploadPart, `/v1/datasets/${id}/parts/${part}`, { ...(key ? { key } : {}), method: "PUT", body, headers });
    expect((await put(started.id, 1, "sku,name\n1,Widget\n2,")).data).toMatchObject({ status: "loading", upload: { parts: 1 } });
    expect((await put(started.id, 3, "Gadget\n")).error.code).toBe("CONFLICT");
    expect((await put(started.id, "zero", "Gadget\n")).error.code).toBe("BAD_REQUEST");
    expect((await put(started.id, 2, "Gadget\n", null)).error.code).toBe("UNAUTHORIZED");
    expect((await put(started.id, 2, "Gadget\n", other.key)).error.code).toBe("NOT_FOUND");
    expect((await put(started.id, 2, "Gadget\n")).data).toMatchObject({ upload: { parts: 2 } });

    const complete = (id: string, key: string | null = s.key) => call(completeDatasetUpload, `/v1/datasets/${id}/complete`, { ...(key ? { key } : {}), method: "POST" });
    expect((await complete(started.id, other.key)).error.code).toBe("NOT_FOUND");
    expect((await complete(started.id, null)).error.code).toBe("UNAUTHORIZED");
    const done = (await complete(started.id)).data;
    expect(done).toMatchObject({ status: "ready", rowCount: 2 });
    expect(done).not.toHaveProperty("upload");
    expect((await put(started.id, 3, "3,Gizmo\n")).error.code).toBe("CONFLICT");

    // A part that can't fit ends its upload.
    const big = (await open("name=Big&format=csv")).data;
    expect((await put(big.id, 1, "a\n1\n", s.key, { "content-length": String(150 * 1024 * 1024) })).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect((await put(big.id, 1, "a\n1\n")).error.code).toBe("NOT_FOUND");
    const bad = (await open("name=Bad&format=csv")).data;
    expect((await put(bad.id, 1, "a,b\n1\n")).error.code).toBe("INVALID_DATASET");
    const empty = (await open("name=Empty&format=csv")).data;
    expect((await complete(empty.id)).error.code).toBe("INVALID_DATASET");
  });

  it("GET /v1/datasets and /v1/datasets/:datasetId", async () => {
    const s = await h.seller();
    const running = (await call(startDatasetUpload, "/v1/datasets/uploads?name=Running&format=csv", { key: s.key, method: "POST" })).data;
    const ready = await h.dataset(s.company.id, citiesCsv(3));
    const listed = (await call(listDatasets, "/v1/datasets", { key: s.key })).data;
    expect(listed.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([[ready.id, "ready"], [running.id, "loading"]]);
    expect((await call(listDatasets, "/v1/datasets")).error.code).toBe("UNAUTHORIZED");

    const reader = (await s.api.keys.create.mutate({ name: "read", scope: "read" })).secret;
    expect((await call(getDataset, `/v1/datasets/${running.id}`, { key: reader })).data).toMatchObject({ status: "loading", upload: { parts: 0 } });
    expect((await call(getDataset, `/v1/datasets/${ready.id}`, { key: s.key })).data).toMatchObject({ status: "ready", rowCount: 3 });
    expect((await call(getDataset, `/v1/datasets/${ready.id}`, { key: (await h.seller({ name: "Nosy Seller" })).key })).error.code).toBe("NOT_FOUND");
    expect((await call(getDataset, `/v1/datasets/${ready.id}`)).error.code).toBe("UNAUTHORIZED");
    const revoked = await s.api.keys.create.mutate({ name: "old", scope: "read" });
    await s.api.keys.revoke.mutate({ id: revoked.id });
    expect((await call(getDataset, `/v1/datasets/${ready.id}`, { key: revoked.secret })).error.code).toBe("KEY_REVOKED");
  });

  it("DELETE /v1/datasets/:datasetId", async () => {
    const e = await h.listedEndpoint({ buyerCredits: 1 });
    const used = e.source.id;
    const remove = (id: string, key: string | null = e.seller.key) => call(deleteDataset, `/v1/datasets/${id}`, { ...(key ? { key } : {}), method: "DELETE" });
    expect((await remove(used)).error.code).toBe("CONFLICT");
    expect((await remove(used, e.buyer.key)).error.code).toBe("FORBIDDEN");
    expect((await remove(used, null)).error.code).toBe("UNAUTHORIZED");
    expect((await remove("src_nope")).error.code).toBe("NOT_FOUND");
    const spare = await h.dataset(e.seller.company.id, citiesCsv(2));
    expect((await remove(spare.id)).data).toEqual({ id: spare.id, deleted: true });
  });

  it("GET /companies/:companyId/credits", async () => {
    const buyer = await h.buyer({ credits: 25 });
    const other = await h.buyer({ name: "Someone Else" });
    expect((await call(getCredits, `/companies/${buyer.company.id}/credits`, { key: buyer.key })).data.balance_credits).toBe(25);
    expect((await call(getCredits, `/companies/${buyer.company.id}/credits`)).error.code).toBe("UNAUTHORIZED");
    expect((await call(getCredits, `/companies/${buyer.company.id}/credits`, { key: other.key })).error.code).toBe("NOT_FOUND");
  });

  it("GET /companies/:companyId/earnings", async () => {
    const e = await h.listedEndpoint({ buyerCredits: 10 });
    await call(fetchEndpoint, `/v1/endpoints/${e.endpoint.id}`, { key: e.key });
    expect((await call(getEarnings, `/companies/${e.seller.company.id}/earnings`, { key: e.seller.key })).data).toHaveProperty("top_product");
    const none = await h.seller({ name: "Nothing Sold Yet" });
    expect((await call(getEarnings, `/companies/${none.company.id}/earnings`, { key: none.key })).data.top_product).toBeNull();
    expect((await call(getEarnings, `/companies/${e.seller.company.id}/earnings`, { key: e.buyer.key })).error.code).toBe("NOT_FOUND");
  });

  it("GET /companies/:companyId/payouts/:payoutId/report", async () => {
    const s = await h.seller({ name: "Reported Seller" });
    const ready = `po_2031-01_${s.company.id}`;
    const pending = `po_2031-02_${s.company.id}`;
    const now = Date.now();
    for (const [id, period, reportKey] of [[ready, "2031-01", `reports/${ready}.pdf`], [pending, "2031-02", null]] as const) {
      await env.DB.prepare(
        `INSERT INTO payouts (id, company_id, period, period_start, period_end, status, earnings_usd, carried_in_usd, amount_usd, carried_out_usd, report_key, run_id, created_at, updated_at)
         VALUES (?, ?, ?, 0, 1, 'paid', 30000000, 0, 30000000, 0, ?, 'run_contract', ?, ?)`,
      )
        .bind(id, s.company.id, period, reportKey, now, now)
        .run();
    }
    await env.REPORTS.put(`reports/${ready}.pdf`, "%PDF-1.7\n%stored by the payout job\n");
    await call(getPayoutReport, `/companies/${s.company.id}/payouts/${ready}/report`, { key: s.key });
    expect((await call(getPayoutReport, `/companies/${s.company.id}/payouts/${pending}/report`, { key: s.key })).error.code).toBe("NOT_FOUND");
    expect((await call(getPayoutReport, `/companies/${s.company.id}/payouts/${ready}/report`)).error.code).toBe("UNAUTHORIZED");
  });

  it("POST /webhooks/stripe", async () => {
    const payload = JSON.stringify({ id: "evt_contract", object: "event", type: "contract.unhandled", data: { object: {} }, created: Math.floor(Date.now() / 1000) });
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: env.STRIPE_WEBHOOK_SECRET, cryptoProvider: Stripe.createSubtleCryptoProvider() });
    const signed = { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": signature } };
    expect(await call(stripeWebhook, "/webhooks/stripe", signed)).toEqual({ received: true, handled: false });
    expect((await call(stripeWebhook, "/webhooks/stripe", { method: "POST", body: payload })).error.code).toBe("BAD_REQUEST");
    expect((await call(stripeWebhook, "/webhooks/stripe", { ...signed, headers: { ...signed.headers, "stripe-signature": "t=1,v1=00" } })).error.code).toBe("BAD_REQUEST");
  });

  afterAll(async () => {
    // Every operation of the generated document had a success, and an error where it has any, checked here.
    const doc = (await (await workerFetch(`${BASE}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(operations.sort()).toEqual(routes.map((r) => r.operationId).sort());
    for (const route of routes) {
      const statuses = [...checked].filter((c) => c.startsWith(`${route.operationId} `)).map((c) => Number(c.split(" ")[1]));
      expect([route.operationId, statuses.some((s) => s < 300)]).toEqual([route.operationId, true]);
      if (route !== getHealth) expect([route.operationId, statuses.some((s) => s >= 400)]).toEqual([route.operationId, true]);
    }
  });
});
