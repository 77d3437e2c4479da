import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { callTool, charges, marketplace, MCP_URL, mcpPost } from "./helpers";
import { drained, workerFetch } from "../harness";

describe("mcp: an agent finds, prices, buys and re-reads", () => {
  it("initializes and lists the eight tools with their input schemas", async () => {
    const { buyer } = await marketplace();
    const init = await mcpPost(buyer.key, {
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1" } },
    });
    expect(init.body.result.serverInfo.name).toBe("tessera");
    expect(init.body.result.capabilities.tools).toBeDefined();
    const { body } = await mcpPost(buyer.key, { method: "tools/list" });
    const tools = body.result.tools as { name: string; description: string; inputSchema: any; annotations: any }[];
    expect(tools.map((t) => t.name)).toEqual([
      "search_marketplace", "get_product", "quote", "fetch_endpoint_page", "execute_asset", "get_balance", "list_purchases", "buy_credits",
    ]);
    const page = tools.find((t) => t.name === "fetch_endpoint_page")!;
    expect(page.inputSchema.type).toBe("object");
    expect(Object.keys(page.inputSchema.properties)).toEqual(["endpoint_id", "filters", "page_size", "cursor", "idempotency_key"]);
    expect(page.inputSchema.required).toEqual(["endpoint_id"]);
    expect(page.annotations.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === "quote")!.annotations.readOnlyHint).toBe(true);
  });

  it("searches, reads a product with its price in USD and credits, and quotes it, for free", async () => {
    const { buyer, endpoint } = await marketplace(10);
    const found = await callTool(buyer.key, "search_marketplace", { query: "city population", type: "endpoint" });
    expect(found.structuredContent.results.map((r: { id: string }) => r.id)).toContain(endpoint.id);
    const hit = found.structuredContent.results.find((r: { id: string }) => r.id === endpoint.id);
    expect(hit).toMatchObject({ name: "City populations", priceUsd: 0.5, priceCredits: 1 });

    const product = await callTool(buyer.key, "get_product", { product_id: endpoint.id });
    expect(product.structuredContent).toMatchObject({
      id: endpoint.id,
      description: "Population of every city, by region.",
      priceUsd: 0.5,
      priceCredits: 1,
      buyWith: "fetch_endpoint_page",
    });
    expect(product.structuredContent.filters.map((f: { param: string }) => f.param)).toEqual(["region", "min_population"]);
    expect(JSON.parse(product.content[0]!.text!)).toEqual(product.structuredContent);

    const quote = await callTool(buyer.key, "quote", { product_id: endpoint.id });
    expect(quote.structuredContent).toEqual({
      productId: endpoint.id, priceUsd: 0.5, credits: 1, availableCredits: 10, balanceAfter: 9, affordable: true, billedPer: "successful request",
    });
    expect((await callTool(buyer.key, "get_balance")).structuredContent).toMatchObject({ balanceCredits: 10, availableCredits: 10, heldCredits: 0 });
    expect(await charges(buyer.api)).toEqual([]);
  });

  it("fetches two pages with the cursor, billed once each, logged on the mcp channel", async () => {
    const { buyer, endpoint, seller } = await marketplace(10);
    const first = await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, filters: { region: "EU" }, page_size: 2 });
    expect(first.isError).toBeUndefined();
    expect(first.structuredContent.data).toEqual([
      { id: 1, city: "City 1", region: "EU", population: 1000 },
      { id: 3, city: "City 3", region: "EU", population: 3000 },
    ]);
    expect(first.structuredContent.billing).toMatchObject({ billed: true, credits: 1, price_usd: 0.5, price_credits: 1 });
    const cursor = first.structuredContent.pagination.next_cursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, filters: { region: "EU" }, page_size: 2, cursor });
    expect(second.structuredContent.data.map((r: { id: number }) => r.id)).toEqual([5, 7]);
    expect(second.structuredContent.billing).toMatchObject({ billed: true, credits: 1 });
    expect(second.structuredContent.billing.request_id).not.toBe(first.structuredContent.billing.request_id);

    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(8);
    expect((await charges(buyer.api)).map((c) => [c.credits, c.productId])).toEqual([[-1, endpoint.id], [-1, endpoint.id]]);
    // The seller's log is D1's copy, fed by the queue a moment later.
    await drained(buyer.company.id);
    const log = await seller.api.products.requestLog.query({ productId: endpoint.id });
    expect(log.items.filter((l) => l.billed)).toHaveLength(2);
    const channels = await env.DB.prepare("SELECT channel, billed FROM request_logs WHERE company_id = ?").bind(buyer.company.id).all();
    expect(channels.results).toEqual([{ channel: "mcp", billed: 1 }, { channel: "mcp", billed: 1 }]);
  });

  it("runs a calculation and a chart: the chart's data, and its SVG as an image block", async () => {
    const { buyer, total, chart } = await marketplace(20);
    const value = await callTool(buyer.key, "execute_asset", { asset_id: total.id, params: { region: "EU" } });
    expect(value.structuredContent.data.result).toEqual({ type: "calculation", value: 250_000_000, kind: "number" });
    expect(value.structuredContent.billing).toMatchObject({ billed: true, credits: 4, price_usd: 2 });
    expect(value.content).toHaveLength(1);

    const drawn = await callTool(buyer.key, "execute_asset", { asset_id: chart.id });
    expect(drawn.structuredContent.data.result.type).toBe("visualization");
    expect(drawn.structuredContent.data.result.chart.points).toEqual([
      { label: "EU", value: 250_000_000 },
      { label: "US", value: 250_500_000 },
    ]);
    expect(drawn.structuredContent.data.result.svg).toBeUndefined();
    const image = drawn.content.find((c) => c.type === "image")!;
    expect(image.mimeType).toBe("image/svg+xml");
    expect(atob(image.data!)).toMatch(/^<svg[^>]+viewBox/);
    expect(drawn.structuredContent.billing).toMatchObject({ billed: true, credits: 5 });
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(11);
  });

  it("lists purchases and re-reads a stored chart for free", async () => {
    const { buyer, chart } = await marketplace(20);
    const run = await callTool(buyer.key, "execute_asset", { asset_id: chart.id });
    const purchaseId = run.structuredContent.data.purchase_id;
    const listed = await callTool(buyer.key, "list_purchases");
    expect(listed.structuredContent.purchases).toMatchObject([{ id: purchaseId, productId: chart.id, credits: 5, priceUsd: 2.5 }]);
    const again = await callTool(buyer.key, "list_purchases", { purchase_id: purchaseId });
    expect(again.structuredContent.purchase.result.chart.points).toHaveLength(2);
    expect(again.content.some((c) => c.type === "image" && c.mimeType === "image/svg+xml")).toBe(true);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(15);
    expect(await charges(buyer.api)).toHaveLength(1);
  });

  it("replays a retry with the same idempotency_key unbilled", async () => {
    const { buyer, endpoint, total } = await marketplace(20);
    const args = { endpoint_id: endpoint.id, filters: { region: "US" }, page_size: 3, idempotency_key: "agent-retry-1" };
    const first = await callTool(buyer.key, "fetch_endpoint_page", args);
    const retry = await callTool(buyer.key, "fetch_endpoint_page", args);
    expect(retry.structuredContent.data).toEqual(first.structuredContent.data);
    expect(retry.structuredContent.billing).toMatchObject({ billed: false, credits: 0, replayed: true });

    const run = { asset_id: total.id, params: { region: "US" }, idempotency_key: "agent-run-1" };
    const once = await callTool(buyer.key, "execute_asset", run);
    const twice = await callTool(buyer.key, "execute_asset", run);
    expect(twice.structuredContent.data).toEqual(once.structuredContent.data);
    expect(twice.structuredContent.billing).toMatchObject({ billed: false, replayed: true });
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(15);
    expect(await charges(buyer.api)).toHaveLength(2);
  });

  it("starts a Checkout for a person to pay, crediting nothing yet", async () => {
    const { buyer } = await marketplace(5);
    const started = await callTool(buyer.key, "buy_credits", { kind: "bundle", bundle: "starter" });
    expect(started.structuredContent.checkoutUrl).toMatch(/\/checkout\/cs_test_/);
    expect(started.structuredContent.orderId).toMatch(/^ord_/);
    expect(await buyer.api.billing.order.query({ id: started.structuredContent.orderId })).toMatchObject({ status: "pending" });
    expect((await buyer.api.credits.balance.query()).balanceCredits).toBe(5);
  });

  it("answers GET with an event stream", async () => {
    const { buyer } = await marketplace(0);
    const res = await workerFetch(MCP_URL, { headers: { authorization: `Bearer ${buyer.key}`, accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    await res.body!.cancel();
  });
});
