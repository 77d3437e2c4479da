import { describe, expect, it } from "vitest";
import { callTool, charges, expectToolError, marketplace, mcpPost } from "./helpers";

describe("mcp: failures are tool errors with a stable code, never billed", () => {
  it("refuses bad arguments before any work: unknown fields, wrong types, a bad idempotency key", async () => {
    const { buyer, endpoint, total } = await marketplace(10);
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, page_size: "ten" }), "BAD_REQUEST");
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, sort: "id" }), "BAD_REQUEST");
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", {}), "BAD_REQUEST");
    expectToolError(await callTool(buyer.key, "execute_asset", { asset_id: total.id, idempotency_key: "no spaces allowed" }), "BAD_REQUEST");
    const wrong = await callTool(buyer.key, "search_marketplace", { limit: 500 });
    expectToolError(wrong, "BAD_REQUEST");
    expect(wrong.structuredContent.error.message).toContain("limit");
    expect(wrong.content[0]!.text).toMatch(/^BAD_REQUEST: /);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(10);
    expect(await charges(buyer.api)).toEqual([]);
  });

  it("passes the work's own failures through unbilled: a bad filter, an unknown product, an asset fetched as an endpoint", async () => {
    const { buyer, endpoint, total } = await marketplace(10);
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, filters: { nope: "1" } }), "INVALID_FILTER");
    expectToolError(await callTool(buyer.key, "execute_asset", { asset_id: total.id, params: { nope: 1 } }), "INVALID_FILTER");
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: "ep_missing" }), "NOT_FOUND");
    expectToolError(await callTool(buyer.key, "get_product", { product_id: "ast_missing" }), "NOT_FOUND");
    expectToolError(await callTool(buyer.key, "quote", { product_id: "ast_missing" }), "NOT_FOUND");
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: total.id }), "BAD_REQUEST");
    expectToolError(await callTool(buyer.key, "execute_asset", { asset_id: endpoint.id }), "BAD_REQUEST");
    expectToolError(await callTool(buyer.key, "list_purchases", { purchase_id: "pur_missing" }), "NOT_FOUND");
    expectToolError(await callTool(buyer.key, "buy_credits", { kind: "on_demand", credits: 1 }), "INVALID_AMOUNT");
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(10);
    expect(await charges(buyer.api)).toEqual([]);
  });

  it("names an unknown tool", async () => {
    const { buyer } = await marketplace(0);
    const result = await callTool(buyer.key, "drop_tables");
    expectToolError(result, "NOT_FOUND");
    expect(result.structuredContent.error.message).toContain("search_marketplace");
  });

  it("gives CONFLICT for an idempotency_key reused with other arguments, billing only the first", async () => {
    const { buyer, endpoint } = await marketplace(10);
    await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, filters: { region: "EU" }, idempotency_key: "k-1" });
    expectToolError(await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, filters: { region: "US" }, idempotency_key: "k-1" }), "CONFLICT");
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(9);
  });

  it("answers 401 with the Bearer challenge without a token or with a key that is not one", async () => {
    const missing = await mcpPost(null, { method: "tools/list" });
    expect(missing.status).toBe(401);
    expect(missing.res.headers.get("www-authenticate")).toMatch(/^Bearer .*resource_metadata="http:\/\/127\.0\.0\.1:8787\/\.well-known\/oauth-protected-resource\/mcp"/);

    const junk = await mcpPost("tsk_not-a-key-at-all", { method: "tools/list" });
    expect(junk.status).toBe(401);
    expect(junk.body.error.code).toBe("UNAUTHORIZED");
    expect(junk.res.headers.get("www-authenticate")).toContain('error="invalid_token"');

    const { key } = await marketplace(0).then((m) => m.buyer);
    const ok = await mcpPost(key, { method: "tools/list" });
    expect(ok.status).toBe(200);
  });

  it("refuses a revoked key on every tool, metered or not, and bills nothing", async () => {
    const { buyer, endpoint, total } = await marketplace(10);
    const spare = await buyer.api.keys.create.mutate({ name: "Agent", scope: "full" });
    expect((await callTool(spare.secret, "get_balance")).isError).toBeUndefined();
    await callTool(spare.secret, "fetch_endpoint_page", { endpoint_id: endpoint.id });
    await buyer.api.keys.revoke.mutate({ id: spare.id });
    expectToolError(await callTool(spare.secret, "get_balance"), "KEY_REVOKED");
    expectToolError(await callTool(spare.secret, "search_marketplace"), "KEY_REVOKED");
    expectToolError(await callTool(spare.secret, "fetch_endpoint_page", { endpoint_id: endpoint.id }), "KEY_REVOKED");
    expectToolError(await callTool(spare.secret, "execute_asset", { asset_id: total.id, params: { region: "EU" } }), "KEY_REVOKED");
    expectToolError(await callTool(spare.secret, "buy_credits", { kind: "bundle", bundle: "starter" }), "KEY_REVOKED");
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(9);
  });

  it("stops at the calling key's spending cap, endpoint pages included, unbilled", async () => {
    const { buyer, endpoint } = await marketplace(10);
    const agent = await buyer.api.keys.create.mutate({ name: "Agent", scope: "full" });
    await buyer.api.keys.setCaps.mutate({ keyId: agent.id, perDayCredits: 2 });
    for (let i = 0; i < 2; i++) {
      const page = await callTool(agent.secret, "fetch_endpoint_page", { endpoint_id: endpoint.id, page_size: 1 });
      expect(page.structuredContent.billing).toMatchObject({ billed: true, credits: 1, budget: { day: 1 - i } });
    }
    const capped = await callTool(agent.secret, "fetch_endpoint_page", { endpoint_id: endpoint.id, page_size: 1 });
    expectToolError(capped, "BUDGET_EXCEEDED");
    expect(capped.structuredContent.error.details).toBeUndefined();
    // Another key of the company is not held by this one's cap.
    expect((await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id, page_size: 1 })).structuredContent.billing.billed).toBe(true);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(7);
  });
});
