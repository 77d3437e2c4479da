import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callTool, charges, expectToolError, marketplace } from "./helpers";
import { rest } from "../harness";

/** The parameters of a `WWW-Authenticate: Payment` challenge, and its decoded request. */
function parseChallenge(header: string) {
  expect(header).toMatch(/^Payment /);
  const params = Object.fromEntries([...header.slice(8).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const json = atob(params.request!.replace(/-/g, "+").replace(/_/g, "/"));
  return { params, request: JSON.parse(json), requestJson: json };
}

async function expectedId(params: Record<string, string>) {
  const bytes = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", bytes.encode(`payment-challenge:${env.KEY_SECRET}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const slots = [params.realm, params.method, params.intent, params.request, params.expires, "", ""].join("|");
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes.encode(slots)));
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

describe("402: payment terms an agent can read", () => {
  it("gives REST a Payment challenge and terms in the body, and charges nothing", async () => {
    const { endpoint, endpointKey, buyer } = await marketplace(0.4);
    const { status, headers, body } = await rest(`/v1/endpoints/${endpoint.id}?page_size=1`, { key: endpointKey });
    expect(status).toBe(402);
    expect(body.error.code).toBe("INSUFFICIENT_CREDITS");
    expect(body.billing).toMatchObject({ billed: false, credits: 0, price_usd: 0.5, price_credits: 1 });
    expect(headers.get("cache-control")).toBe("no-store");

    const { params, request, requestJson } = parseChallenge(headers.get("www-authenticate")!);
    expect(params).toMatchObject({ realm: "tessera.test", method: "tessera", intent: "charge" });
    expect(Date.parse(params.expires!)).toBeGreaterThan(Date.now());
    expect(params.id).toBe(await expectedId(params));
    expect(request).toEqual({
      amount: "1000000",
      currency: "tessera_credit",
      decimals: 6,
      methodDetails: {
        priceUsd: "0.5",
        availableCredits: "0.4",
        shortfallCredits: "0.6",
        checkout: "http://tessera.test/trpc/billing.checkout",
        catalogue: "http://tessera.test/trpc/billing.catalogue",
      },
    });
    // JCS: keys sorted, no whitespace.
    expect(requestJson.startsWith('{"amount":"1000000","currency":"tessera_credit","decimals":6,"methodDetails":{"availableCredits"')).toBe(true);

    expect(body.error.details.payment).toMatchObject({
      price_credits: 1,
      price_usd: 0.5,
      available_credits: 0.4,
      shortfall_credits: 0.6,
      top_up: { checkout: "http://tessera.test/trpc/billing.checkout", catalogue: "http://tessera.test/trpc/billing.catalogue", mcp_tool: "buy_credits" },
    });
    expect(body.error.details.payment.challenge.header).toBe(headers.get("www-authenticate"));
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(0.4);
    expect(await charges(buyer.api)).toEqual([]);
  });

  it("gives an asset's REST 402 the same terms", async () => {
    const { total, buyer } = await marketplace(3);
    const { status, headers, body } = await rest(`/v1/assets/${total.id}/executions`, {
      key: buyer.key,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ params: { region: "EU" } }),
    });
    expect(status).toBe(402);
    expect(parseChallenge(headers.get("www-authenticate")!).request.amount).toBe("4000000");
    expect(body.error.details.payment).toMatchObject({ price_credits: 4, price_usd: 2, available_credits: 3, shortfall_credits: 1 });
  });

  it("gives MCP a tool error with the same terms and challenge, unbilled", async () => {
    const { endpoint, chart, buyer } = await marketplace(1);
    const page = await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id });
    expect(page.isError).toBeUndefined();
    const broke = await callTool(buyer.key, "fetch_endpoint_page", { endpoint_id: endpoint.id });
    expectToolError(broke, "INSUFFICIENT_CREDITS");
    const payment = broke.structuredContent.error.details.payment;
    expect(payment).toMatchObject({
      price_credits: 1,
      price_usd: 0.5,
      available_credits: 0,
      shortfall_credits: 1,
      top_up: { mcp_tool: "buy_credits", checkout: "http://127.0.0.1:8787/trpc/billing.checkout" },
    });
    expect(payment.challenge).toMatchObject({ method: "tessera", intent: "charge", realm: "127.0.0.1:8787", request: { amount: "1000000" } });
    expect(parseChallenge(payment.challenge.header).params.id).toBe(payment.challenge.id);
    expect(broke.content[0]!.text).toMatch(/^INSUFFICIENT_CREDITS: Needs 1 credits; 0 available\./);

    const run = await callTool(buyer.key, "execute_asset", { asset_id: chart.id });
    expectToolError(run, "INSUFFICIENT_CREDITS");
    expect(run.structuredContent.error.details.payment).toMatchObject({ price_credits: 5, price_usd: 2.5, shortfall_credits: 5 });
    expect(await charges(buyer.api)).toHaveLength(1);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(0);
  });

  it("adds no payment terms to other failures", async () => {
    const { endpoint, endpointKey } = await marketplace(5);
    const { status, headers, body } = await rest(`/v1/endpoints/${endpoint.id}?sort=nope`, { key: endpointKey });
    expect(status).toBe(400);
    expect(headers.get("www-authenticate")).toBeNull();
    expect(body.error.details).toBeUndefined();
  });
});
