/**
 * An agent on the MCP SDK's own client, against `wrangler dev`: it lists the
 * tools, searches, quotes, fetches two pages (billed twice), runs a chart,
 * meets its key's spending cap, runs out of credits and reads the 402's
 * terms; the balance and the ledger say exactly what was billed.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTesseraClient } from "../../client/src/index.ts";

const url = inject("tesseraUrl");
const stripeUrl = inject("stripeUrl");

interface Seeded {
  buyerKey: string;
  agentKey: string;
  agentKeyId: string;
  buyerId: string;
  endpointId: string;
  chartId: string;
  totalId: string;
}

async function seed(): Promise<Seeded> {
  const anonymous = createTesseraClient(url);
  const admin = createTesseraClient(url, { apiKey: (await anonymous.admin.bootstrap.mutate({ token: inject("adminToken") })).secret });
  const seller = await anonymous.companies.signUp.mutate({ name: "E2E Seller", isBuyer: false, isSeller: true });
  const sellerApi = createTesseraClient(url, { apiKey: seller.apiKey.secret });
  // Verified through the local Stripe's Connect onboarding, as a seller would be.
  const connect = await sellerApi.connect.start.mutate({});
  const onboarded = await fetch(`${stripeUrl}/_local/accounts/${connect.accountId}/onboarding`, { method: "POST", headers: { authorization: "Bearer sk_test_local" } });
  expect(onboarded.ok).toBe(true);
  await sellerApi.connect.refresh.mutate();
  const lines = ["id,city,region,population"];
  for (let i = 1; i <= 50; i++) lines.push(`${i},City ${i},${i % 2 ? "EU" : "US"},${i * 1000}`);
  const upload = await fetch(`${url}/v1/datasets?name=Cities&format=csv&filterable=region`, {
    method: "POST",
    headers: { "x-api-key": seller.apiKey.secret, "content-type": "text/csv" },
    body: lines.join("\n"),
  });
  expect(upload.status).toBe(201);
  const dataSourceId = ((await upload.json()) as { data: { id: string } }).data.id;
  const common = { category: "Demographics", dataSourceId, sellInMarketplace: true, description: "Cities of the world, by region." };
  const endpoint = await sellerApi.products.create.mutate({
    ...common,
    type: "endpoint",
    name: "Agent city populations",
    spec: { filters: [{ param: "region", column: "region", op: "eq" }], sort: { default: [{ column: "id", dir: "asc" }] } },
    priceUsd: "0.50",
  });
  const chart = await sellerApi.products.create.mutate({
    ...common,
    type: "asset",
    assetKind: "visualization",
    name: "Population by region",
    spec: { aggregate: { fn: "sum", column: "population", groupBy: "region" }, chart: { type: "bar", title: "Population by region" } },
    priceUsd: "2.50",
  });
  const total = await sellerApi.products.create.mutate({
    ...common,
    type: "asset",
    assetKind: "calculation",
    name: "Total population",
    spec: { aggregate: { fn: "sum", column: "population" } },
    priceUsd: "2",
  });
  const buyer = await anonymous.companies.signUp.mutate({ name: "E2E Agent Buyer" });
  await admin.admin.grant.mutate({ companyId: buyer.company.id, credits: 8, reason: "e2e" });
  // The agent's own key, capped at 7 credits a day by the company's admin (the sign-up key).
  const buyerApi = createTesseraClient(url, { apiKey: buyer.apiKey.secret });
  const agent = await buyerApi.keys.create.mutate({ name: "Agent", scope: "full" });
  await buyerApi.keys.setCaps.mutate({ keyId: agent.id, perDayCredits: 7 });
  return { agentKey: agent.secret, agentKeyId: agent.id, buyerKey: buyer.apiKey.secret, buyerId: buyer.company.id, endpointId: endpoint.id, chartId: chart.id, totalId: total.id };
}

function structured(result: unknown): any {
  return (result as CallToolResult).structuredContent;
}

describe("an MCP agent against wrangler dev", () => {
  let seeded: Seeded;
  let client: Client;

  beforeAll(async () => {
    seeded = await seed();
    client = new Client({ name: "tessera-e2e", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${seeded.agentKey}` } },
    });
    await client.connect(transport);
  });

  afterAll(async () => {
    await client?.close();
  });

  it("finds, prices, buys, runs out and reads the terms; the books agree", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ["buy_credits", "execute_asset", "fetch_endpoint_page", "get_balance", "get_product", "list_purchases", "quote", "search_marketplace"],
    );

    const found = structured(await client.callTool({ name: "search_marketplace", arguments: { query: "agent city populations" } }));
    expect(found.results[0]).toMatchObject({ id: seeded.endpointId, priceUsd: 0.5, priceCredits: 1 });

    const quote = structured(await client.callTool({ name: "quote", arguments: { product_id: seeded.endpointId } }));
    expect(quote).toMatchObject({ credits: 1, availableCredits: 8, affordable: true });

    const first = structured(await client.callTool({ name: "fetch_endpoint_page", arguments: { endpoint_id: seeded.endpointId, filters: { region: "EU" }, page_size: 3 } }));
    expect(first.data.map((r: { id: number }) => r.id)).toEqual([1, 3, 5]);
    expect(first.billing).toMatchObject({ billed: true, credits: 1 });
    const second = structured(
      await client.callTool({
        name: "fetch_endpoint_page",
        arguments: { endpoint_id: seeded.endpointId, filters: { region: "EU" }, page_size: 3, cursor: first.pagination.next_cursor },
      }),
    );
    expect(second.data.map((r: { id: number }) => r.id)).toEqual([7, 9, 11]);
    expect(second.billing).toMatchObject({ billed: true, credits: 1 });

    const chart = (await client.callTool({ name: "execute_asset", arguments: { asset_id: seeded.chartId } })) as CallToolResult;
    expect(chart.isError).toBeFalsy();
    expect(structured(chart).data.result.chart.points).toEqual([
      { label: "EU", value: 625_000 },
      { label: "US", value: 650_000 },
    ]);
    const image = chart.content.find((c) => c.type === "image") as { data: string; mimeType: string };
    expect(image.mimeType).toBe("image/svg+xml");
    expect(Buffer.from(image.data, "base64").toString("utf8")).toMatch(/^<svg/);
    expect(structured(chart).billing).toMatchObject({ billed: true, credits: 5, budget: { day: 0 } });

    // The key's cap is spent (7 of 7 today): refused unbilled, though the wallet has a credit left.
    const capped = (await client.callTool({ name: "fetch_endpoint_page", arguments: { endpoint_id: seeded.endpointId } })) as CallToolResult;
    expect(capped.isError).toBe(true);
    expect(structured(capped).error.code).toBe("BUDGET_EXCEEDED");
    expect(structured(capped).billing).toMatchObject({ billed: false, credits: 0 });

    // The admin lifts the cap; 1 credit left, the total costs 4.
    await createTesseraClient(url, { apiKey: seeded.buyerKey }).keys.setCaps.mutate({ keyId: seeded.agentKeyId, perDayCredits: null });
    const broke = (await client.callTool({ name: "execute_asset", arguments: { asset_id: seeded.totalId } })) as CallToolResult;
    expect(broke.isError).toBe(true);
    const refusal = structured(broke);
    expect(refusal.error.code).toBe("INSUFFICIENT_CREDITS");
    expect(refusal.billing).toMatchObject({ billed: false, credits: 0 });
    expect(refusal.error.details.payment).toMatchObject({
      price_credits: 4,
      price_usd: 2,
      available_credits: 1,
      shortfall_credits: 3,
      top_up: { checkout: `${url}/trpc/billing.checkout`, catalogue: `${url}/trpc/billing.catalogue`, mcp_tool: "buy_credits" },
    });
    const challenge = refusal.error.details.payment.challenge;
    expect(challenge.header).toMatch(/^Payment id="[\w-]+", realm="127\.0\.0\.1:\d+", method="tessera", intent="charge", request="[\w-]+", expires="/);
    expect(JSON.parse(Buffer.from(/request="([\w-]+)"/.exec(challenge.header)![1]!, "base64url").toString("utf8"))).toEqual(challenge.request);

    const balance = structured(await client.callTool({ name: "get_balance", arguments: {} }));
    expect(balance).toMatchObject({ balanceCredits: 1, availableCredits: 1, heldCredits: 0 });

    const buyer = createTesseraClient(url, { apiKey: seeded.buyerKey });
    const ledger = await buyer.credits.history.query({ limit: 10 });
    expect(ledger.items.map((e) => [e.kind, e.credits, e.productId])).toEqual([
      ["charge", -5, seeded.chartId],
      ["charge", -1, seeded.endpointId],
      ["charge", -1, seeded.endpointId],
      ["grant", 8, null],
    ]);
    const listed = structured(await client.callTool({ name: "list_purchases", arguments: {} }));
    expect(listed.purchases).toMatchObject([{ productId: seeded.chartId, credits: 5 }]);
  });
});
