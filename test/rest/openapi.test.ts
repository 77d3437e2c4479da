import { describe, expect, it } from "vitest";
import { errorCodes } from "../../src/errors";
import { BASE, workerFetch } from "../harness";

const operations = {
  "/health": ["get"],
  "/v1/endpoints/{endpointId}": ["get"],
  "/v1/assets/{assetId}/executions": ["post"],
  "/v1/datasets": ["post", "get"],
  "/v1/datasets/uploads": ["post"],
  "/v1/datasets/{datasetId}": ["get", "delete"],
  "/v1/datasets/{datasetId}/parts/{part}": ["put"],
  "/v1/datasets/{datasetId}/complete": ["post"],
  "/companies/{companyId}/credits": ["get"],
  "/companies/{companyId}/earnings": ["get"],
  "/companies/{companyId}/payouts/{payoutId}/report": ["get"],
  "/webhooks/stripe": ["post"],
};

async function document() {
  const res = await workerFetch(`${BASE}/v1/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  return (await res.json()) as any;
}

/** Every `$ref` anywhere in `node`. */
function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push(value);
      else refsIn(value, out);
    }
  }
  return out;
}

function resolvePointer(doc: unknown, ref: string): unknown {
  expect(ref.startsWith("#/"), `${ref} is local`).toBe(true);
  return ref
    .slice(2)
    .split("/")
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<any>((node, part) => (node == null ? undefined : node[part]), doc);
}

/** The error codes a response's body allows: the per-status enum beside the shared MeteredError or Error. */
function codesOf(schema: any): string[] {
  const own = schema.allOf?.[1]?.properties?.error?.properties?.code?.enum;
  return own ?? [];
}

describe("GET /v1/openapi.json, generated from the routes", () => {
  it("describes every REST route and nothing else, for this origin", async () => {
    const doc = await document();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: BASE }]);
    expect(Object.fromEntries(Object.entries<any>(doc.paths).map(([path, item]) => [path, Object.keys(item)]))).toEqual(operations);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Billing", "Error", "MeteredError", "ErrorCode"]));
    expect(doc.components.schemas.ErrorCode.enum).toEqual(Object.keys(errorCodes));
  });

  it("resolves every $ref", async () => {
    const doc = await document();
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(resolvePointer(doc, ref), ref).toBeDefined();
  });

  it("lists each error status with exactly the codes src/errors.ts gives that status", async () => {
    const doc = await document();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const [status, response] of Object.entries<any>(op.responses)) {
          if (status.startsWith("2")) continue;
          const schema = response.content["application/json"].schema;
          const codes = codesOf(schema);
          expect(codes.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
          for (const code of codes) expect([path, status, code, errorCodes[code as keyof typeof errorCodes]]).toEqual([path, status, code, Number(status)]);
          // The description names each code.
          for (const code of codes) expect(response.description).toContain(code);
          const base = path.startsWith("/v1/endpoints") || path.startsWith("/v1/assets") ? "MeteredError" : "Error";
          expect(schema.allOf[0].$ref, `${method} ${path} ${status}`).toBe(`#/components/schemas/${base}`);
        }
      }
    }
  });

  it("describes the endpoint fetch as the metering code answers it", async () => {
    const doc = await document();
    const op = doc.paths["/v1/endpoints/{endpointId}"].get;
    const names = op.parameters.map((p: any) => p.name);
    expect(names).toEqual(expect.arrayContaining(["endpointId", "page_size", "cursor", "sort", "filters", "idempotency-key"]));
    expect(op.parameters.find((p: any) => p.name === "page_size").schema).toMatchObject({ type: "integer", default: 100, minimum: 1, maximum: 1000 });
    expect(Object.keys(op.responses).sort()).toEqual(["200", "400", "401", "402", "403", "404", "409", "429", "500", "502", "504"]);
    expect(codesOf(op.responses["400"].content["application/json"].schema).sort()).toEqual(["BAD_REQUEST", "INVALID_FILTER"]);
    expect(op.security).toEqual([{ EndpointKey: [] }]);
    const page = doc.components.schemas.EndpointPage;
    expect(Object.keys(page.properties)).toEqual(["data", "pagination", "billing"]);
    expect(Object.keys(doc.components.schemas.Billing.properties)).toEqual(["billed", "credits", "request_id", "price_usd", "price_credits", "replayed", "budget"]);
    expect(Object.keys(doc.components.schemas.Billing.properties.budget.properties)).toEqual(["day", "month", "total"]);
  });

  it("describes the asset's optional JSON body from its schema", async () => {
    const doc = await document();
    const op = doc.paths["/v1/assets/{assetId}/executions"].post;
    expect(op.requestBody.required).toBe(false);
    expect(op.requestBody.content["application/json"].schema.properties.params).toMatchObject({ type: "object" });
    expect(op.security).toEqual([{ CompanyKey: [] }]);
  });

  it("describes the uploads in parts: the part's number, its raw bytes, what can refuse it", async () => {
    const doc = await document();
    const op = doc.paths["/v1/datasets/{datasetId}/parts/{part}"].put;
    expect(op.parameters.map((p: any) => [p.name, p.in, p.schema.type])).toEqual([
      ["datasetId", "path", "string"],
      ["part", "path", "integer"],
    ]);
    expect(Object.keys(op.requestBody.content)).toEqual(["application/octet-stream"]);
    expect(Object.keys(op.responses).sort()).toEqual(["200", "400", "401", "403", "404", "409", "413"]);
    expect(codesOf(op.responses["413"].content["application/json"].schema).sort()).toEqual(["PAYLOAD_TOO_LARGE", "QUOTA_EXCEEDED"]);
    const dataset = doc.components.schemas.Dataset;
    expect(Object.keys(dataset.properties)).toEqual(["id", "companyId", "kind", "name", "status", "rowCount", "columns", "sizeBytes", "createdAt", "upload"]);
    expect(dataset.required).not.toContain("upload");
    expect(dataset.properties.upload.type).toEqual(["object", "null"]);
    expect(Object.keys(dataset.properties.upload.properties)).toEqual(["phase", "parts", "bytes", "rows", "updatedAt"]);
  });

  it("names the fields of the credits and earnings reads", async () => {
    const doc = await document();
    expect(Object.keys(doc.components.schemas.Credits.properties.data.properties)).toEqual([
      "balance_credits", "balance_usd", "held_credits", "available_credits", "total_spent_credits_30d",
      "asset_executions_30d", "endpoint_requests_30d", "low_balance_warning", "low_balance_threshold_credits",
    ]);
    const earnings = doc.components.schemas.Earnings.properties.data.properties;
    expect(Object.keys(earnings)).toEqual(["pending_payout_usd", "total_earned_usd", "asset_executions_30d", "endpoint_requests_30d", "top_product"]);
    expect(Object.keys(earnings.top_product.properties)).toEqual(["name", "type", "transactions_30d", "revenue_30d"]);
  });
});

describe("GET /v1/docs", () => {
  it("is Scalar's reference of /v1/openapi.json, its script from this origin's own assets", async () => {
    const res = await workerFetch(`${BASE}/v1/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map(([, attrs, body]) => ({ attrs: attrs!, body: body! }));
    // One script, loaded from here; the other element is Scalar's configuration, a data block that never runs.
    expect(scripts.map((s) => /src="([^"]+)"/.exec(s.attrs)?.[1] ?? null)).toEqual([null, "/docs/scalar.js"]);
    expect(scripts[0]!.attrs).toContain('type="application/json"');
    expect(scripts.every((s) => s.body.trim() === "")).toBe(true);
    const config = JSON.parse(/data-configuration="([^"]*)"/.exec(scripts[0]!.attrs)![1]!.replaceAll("&#34;", '"'));
    expect(config).toMatchObject({ url: "/v1/openapi.json", withDefaultFonts: false, telemetry: false });
    expect(html).not.toMatch(/https?:\/\//);
  });
});
