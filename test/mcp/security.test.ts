import { describe, expect, it } from "vitest";
import { callTool, charges, expectToolError, marketplace, mcpPost } from "./helpers";
import { h } from "../harness";

describe("mcp: another company's key, data or product never works", () => {
  it("keeps each company's purchases and balance its own", async () => {
    const { buyer, total } = await marketplace(10);
    const run = await callTool(buyer.key, "execute_asset", { asset_id: total.id, params: { region: "EU" } });
    const purchaseId = run.structuredContent.data.purchase_id;
    const other = await h.buyer({ credits: 3, name: "Other Buyer" });
    expectToolError(await callTool(other.key, "list_purchases", { purchase_id: purchaseId }), "NOT_FOUND");
    expect((await callTool(other.key, "list_purchases")).structuredContent.purchases).toEqual([]);
    expect((await callTool(other.key, "get_balance")).structuredContent.availableCredits).toBe(3);
  });

  it("hides another seller's unlisted product from every tool, and bills nothing", async () => {
    const owner = await h.seller({ name: "Drafting Seller" });
    const source = await h.dataset(owner.company.id, "id,city\n1,Oslo");
    const draft = await h.endpoint(owner, {
      name: "Secret draft",
      description: "Not ready",
      category: "Geo",
      dataSourceId: source.id,
      spec: {},
      priceUsd: "1",
    });
    const buyer = await h.buyer({ credits: 10, name: "Curious Buyer" });
    expect((await callTool(buyer.key, "search_marketplace", { query: "Secret draft" })).structuredContent.results).toEqual([]);
    expectToolError(await callTool(buyer.key, "get_product", { product_id: draft.id }), "NOT_FOUND");
    expectToolError(await callTool(buyer.key, "quote", { product_id: draft.id }), "NOT_FOUND");
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: draft.id }), "NOT_FOUND");
    expect(await charges(buyer.api)).toEqual([]);
    // Its seller reads it (free: its own product).
    expect((await callTool(owner.key, "fetch_endpoint_page", { endpoint_id: draft.id })).structuredContent.billing).toMatchObject({ billed: false });
  });

  it("lets a read-only key look but never spend", async () => {
    const { buyer, endpoint, total } = await marketplace(10);
    const reader = await buyer.api.keys.create.mutate({ name: "Reader", scope: "read" });
    expect((await callTool(reader.secret, "quote", { product_id: total.id })).structuredContent.credits).toBe(4);
    expect((await callTool(reader.secret, "get_balance")).structuredContent.availableCredits).toBe(10);
    for (const [name, args] of [
      ["execute_asset", { asset_id: total.id, params: { region: "EU" } }],
      ["fetch_endpoint_page", { endpoint_id: endpoint.id }],
      ["buy_credits", { kind: "bundle", bundle: "starter" }],
    ] as const) {
      const refused = await callTool(reader.secret, name, args);
      expectToolError(refused, "FORBIDDEN");
      expect(refused.structuredContent.error.message).toContain("full scope");
    }
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(10);
    expect(await charges(buyer.api)).toEqual([]);
    expect(await buyer.api.billing.orders.query()).toMatchObject({ items: [] });
  });

  it("takes company keys only: an endpoint key is no bearer token here", async () => {
    const { endpointKey } = await marketplace(10);
    const refused = await mcpPost(endpointKey, { method: "tools/call", params: { name: "get_balance", arguments: {} } });
    expect(refused.status).toBe(401);
    expect(refused.res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("keeps a buyer the seller cut off out, through MCP too", async () => {
    const { seller: owner, endpoint, buyer } = await marketplace(10);
    expect((await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id })).structuredContent.billing.billed).toBe(true);
    const {
      items: [customer],
    } = await owner.api.products.customers.query({ id: endpoint.id });
    await owner.api.products.revokeCustomerKey.mutate({ keyId: customer!.id });
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id }), "FORBIDDEN");
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(9);
  });
});
