import { describe, expect, it } from "vitest";
import { BASE, workerFetch } from "../harness";

const paths = [
  "/v1/endpoints/{endpointId}",
  "/v1/assets/{assetId}/executions",
  "/v1/datasets",
  "/v1/datasets/uploads",
  "/v1/datasets/{datasetId}",
  "/v1/datasets/{datasetId}/parts/{part}",
  "/v1/datasets/{datasetId}/complete",
  "/companies/{companyId}/credits",
  "/companies/{companyId}/earnings",
  "/companies/{companyId}/payouts/{payoutId}/report",
  "/webhooks/stripe",
];

async function document() {
  const res = await workerFetch(`${BASE}/v1/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  return JSON.parse(await res.text()) as any;
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

describe("GET /v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document of the public REST surface", async () => {
    const doc = await document();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([...paths].sort());
    expect(doc.servers[0].url).toBe(BASE);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Billing", "Error", "MeteredError"]));
  });

  it("resolves every $ref", async () => {
    const doc = await document();
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(resolvePointer(doc, ref), ref).toBeDefined();
  });

  it("describes the endpoint fetch as the metering code answers it", async () => {
    const doc = await document();
    const op = doc.paths["/v1/endpoints/{endpointId}"].get;
    const params = op.parameters.map((p: any) => (p.$ref ? resolvePointer(doc, p.$ref) : p));
    const names = params.map((p: any) => p.name);
    expect(names).toEqual(expect.arrayContaining(["endpointId", "page_size", "cursor", "sort", "Idempotency-Key"]));
    expect(params.find((p: any) => p.name === "page_size").schema).toMatchObject({ default: 100, maximum: 1000 });
    expect(Object.keys(op.responses).sort()).toEqual(["200", "400", "401", "402", "403", "404", "409", "502", "504"]);
    for (const [status, r] of Object.entries<any>(op.responses)) {
      if (status === "200") continue;
      const res = resolvePointer(doc, r.$ref) as any;
      expect(res.content["application/json"].schema.$ref).toBe("#/components/schemas/MeteredError");
      expect(res.content["application/json"].example.billing.billed).toBe(false);
    }
    const page = doc.components.schemas.EndpointPage;
    expect(Object.keys(page.properties)).toEqual(["data", "pagination", "billing"]);
    expect(Object.keys(doc.components.schemas.Billing.properties)).toEqual(
      expect.arrayContaining(["billed", "credits", "request_id", "price_usd", "price_credits", "replayed"]),
    );
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
  it("renders a self-contained HTML reference with every path", async () => {
    const res = await workerFetch(`${BASE}/v1/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    for (const path of paths) expect(html).toContain(`<code class="path">${path}</code>`);
    expect(html).toContain("curl ");
    expect(html).toContain("INSUFFICIENT_CREDITS");
    // No scripts and nothing fetched from elsewhere.
    expect(html).not.toMatch(/<script|<link|src="http|@import/i);
  });
});
