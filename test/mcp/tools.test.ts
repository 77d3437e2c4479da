import { describe, expect, it } from "vitest";
import { callTool, mcpPost } from "./helpers";
import { listedEndpoint } from "../products/fixture";

describe("mcp: tools", () => {
  it("lists its tools with JSON Schemas", async () => {
    const { buyer } = await listedEndpoint();
    const { status, body } = await mcpPost(buyer.key, { method: "tools/list" });
    expect(status).toBe(200);
    expect(body.result.tools.map((t: { name: string }) => t.name)).toEqual([
      "search_marketplace", "get_product", "quote", "fetch_endpoint_page", "execute_asset", "get_balance", "list_purchases", "buy_credits",
    ]);
  });

  it("fetches a page", async () => {
    const { buyer, endpoint } = await listedEndpoint();
    const page = await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, filters: { region: "EU" }, page_size: 2 });
    expect(page.structuredContent.billing).toMatchObject({ billed: true, credits: 1 });
  });
});
