import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedUp } from "../members/browser";
import { callTool, expectToolError, marketplace, MCP_URL, mcpPost } from "./helpers";
import { adminKey, client, expectCode, workerFetch } from "../harness";

const ORIGIN = new URL(env.PUBLIC_URL).origin;
const REDIRECT = "http://127.0.0.1:7777/callback";

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** An MCP client registering itself (RFC 7591) with a loopback redirect, as Claude Desktop or the MCP Inspector do. */
async function registerClient(name = "Test Agent") {
  const res = await workerFetch(`${ORIGIN}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"] }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { client_id: string }).client_id;
}

async function pkce() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

function authorizeUrl(clientId: string, challenge: string, scope = "full") {
  const url = new URL(`${ORIGIN}/oauth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: "S256",
    state: "state-123", scope, resource: MCP_URL,
  })) url.searchParams.set(k, v);
  return url.toString();
}

/** A person of a funded company connects a new client with `scope`; returns the access token and everything around it. */
async function connect(scope: "read" | "full", credits = 20, caps: { cap_day?: string; cap_month?: string } = {}) {
  const person = await signedUp();
  await client(await adminKey()).admin.grant.mutate({ companyId: person.company.id, credits, reason: "test" });
  const clientId = await registerClient();
  const { verifier, challenge } = await pkce();
  const page = await person.fetch(authorizeUrl(clientId, challenge, scope));
  expect(page.status).toBe(200);
  const html = await page.text();
  const handle = /name="handle" value="([^"]+)"/.exec(html)![1]!;
  const form = new URLSearchParams({ handle, decision: "approve", scope, ...caps });
  const approved = await person.fetch(authorizeUrl(clientId, challenge, scope), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: form,
    redirect: "manual",
  });
  expect(approved.status).toBe(302);
  const back = new URL(approved.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  expect(back.searchParams.get("state")).toBe("state-123");
  const token = await workerFetch(`${ORIGIN}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", code: back.searchParams.get("code")!, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier, resource: MCP_URL,
    }),
  });
  expect(token.status).toBe(200);
  const tokens = (await token.json()) as { access_token: string; scope: string; refresh_token: string };
  return { person, clientId, html, tokens, accessToken: tokens.access_token };
}

describe("mcp: OAuth for clients a person approves", () => {
  it("leads a client from the 401 to the authorization server's metadata", async () => {
    const unauthorized = await mcpPost(null, { method: "tools/list" });
    const challenge = unauthorized.res.headers.get("www-authenticate")!;
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)![1]!;
    const resource = (await (await workerFetch(metadataUrl)).json()) as { resource: string; authorization_servers: string[] };
    expect(resource).toMatchObject({ resource: MCP_URL, authorization_servers: [ORIGIN] });
    const server = (await (await workerFetch(`${ORIGIN}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(server).toMatchObject({
      issuer: ORIGIN,
      authorization_endpoint: `${ORIGIN}/oauth/authorize`,
      token_endpoint: `${ORIGIN}/oauth/token`,
      registration_endpoint: `${ORIGIN}/oauth/register`,
      scopes_supported: ["read", "full"],
      code_challenge_methods_supported: ["S256"],
    });
  });

  it("gives an approved client a key of its own: it reads, buys, and shows on the company's lists", async () => {
    const { person, html, tokens, accessToken } = await connect("full");
    expect(html).toContain("Connect Test Agent?");
    expect(html).toContain("127.0.0.1");
    expect(html).toContain("an app on this computer");
    expect(tokens.scope).toBe("full");

    const balance = await callTool(accessToken, "get_balance");
    expect(balance.structuredContent.availableCredits).toBe(20);
    const { total } = await marketplace(0);
    const run = await callTool(accessToken, "execute_asset", { asset_id: total.id, params: { region: "EU" } });
    expect(run.structuredContent.billing).toMatchObject({ billed: true, credits: 4 });
    expect((await person.api.credits.balance.query()).availableCredits).toBe(16);

    const {
      items: [connected],
    } = await person.api.mcp.clients.query();
    expect(connected).toMatchObject({ clientName: "Test Agent", redirectHost: "127.0.0.1", scope: "full", memberName: "Ada Admin", live: true });
    const key = (await person.api.keys.list.query()).items.find((k) => k.id === connected!.keyId)!;
    expect(key).toMatchObject({ name: "MCP: Test Agent", scope: "full", memberId: person.member.id, revokedAt: null });
  });

  it("holds a client to the spending cap its person set on the consent page", async () => {
    const { accessToken, person } = await connect("full", 20, { cap_day: "6" });
    const { total } = await marketplace(0);
    const first = await callTool(accessToken, "execute_asset", { asset_id: total.id, params: { region: "EU" } });
    expect(first.structuredContent.billing).toMatchObject({ billed: true, credits: 4, budget: { day: 2, month: null, total: null } });
    expectToolError(await callTool(accessToken, "execute_asset", { asset_id: total.id, params: { region: "US" } }), "BUDGET_EXCEEDED");
    expect((await person.api.credits.balance.query()).availableCredits).toBe(16);
    const {
      items: [connected],
    } = await person.api.mcp.clients.query();
    expect(connected!.usage).toMatchObject({ caps: { perDayCredits: 6, perMonthCredits: null }, spentCredits: { day: 4 }, remainingCredits: { day: 2 } });
  });

  it("refuses a cap that is not an amount of credits", async () => {
    const person = await signedUp();
    const clientId = await registerClient();
    const { challenge } = await pkce();
    const html = await (await person.fetch(authorizeUrl(clientId, challenge))).text();
    const handle = /name="handle" value="([^"]+)"/.exec(html)![1]!;
    const res = await person.fetch(authorizeUrl(clientId, challenge), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ handle, decision: "approve", scope: "full", cap_day: "-3" }),
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect((await person.api.mcp.clients.query()).items).toEqual([]);
  });

  it("holds a read-only client to reading", async () => {
    const { accessToken, person } = await connect("read");
    const { total } = await marketplace(0);
    expect((await callTool(accessToken, "quote", { product_id: total.id })).structuredContent.credits).toBe(4);
    expectToolError(await callTool(accessToken, "execute_asset", { asset_id: total.id, params: { region: "EU" } }), "FORBIDDEN");
    expect((await person.api.credits.balance.query()).availableCredits).toBe(20);
  });

  it("stops a disconnected client on its next call", async () => {
    const { accessToken, person } = await connect("full");
    expect((await callTool(accessToken, "get_balance")).isError).toBeUndefined();
    const {
      items: [connected],
    } = await person.api.mcp.clients.query();
    await person.api.mcp.revokeClient.mutate({ id: connected!.id });
    const after = await mcpPost(accessToken, { method: "tools/call", params: { name: "get_balance", arguments: {} } });
    expect(after.status).toBe(401);
    expect((await person.api.mcp.clients.query()).items[0]).toMatchObject({ id: connected!.id, live: false });
    expect((await person.api.keys.list.query()).items.find((k) => k.id === connected!.keyId)!.revokedAt).toEqual(expect.any(Number));
  });

  it("sends a person who is not signed in to sign in first, and back", async () => {
    const clientId = await registerClient();
    const { challenge } = await pkce();
    const res = await workerFetch(authorizeUrl(clientId, challenge), { redirect: "manual" });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get("location")!, ORIGIN);
    expect(to.pathname).toBe("/app/sign-in");
    expect(to.searchParams.get("next")).toBe(new URL(authorizeUrl(clientId, challenge)).pathname + new URL(authorizeUrl(clientId, challenge)).search);
  });

  it("sends a declined client back with access_denied, and makes no key", async () => {
    const person = await signedUp();
    const clientId = await registerClient();
    const { challenge } = await pkce();
    const html = await (await person.fetch(authorizeUrl(clientId, challenge))).text();
    const handle = /name="handle" value="([^"]+)"/.exec(html)![1]!;
    const denied = await person.fetch(authorizeUrl(clientId, challenge), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ handle, decision: "deny" }),
      redirect: "manual",
    });
    expect(denied.status).toBe(302);
    expect(new URL(denied.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
    expect((await person.api.mcp.clients.query()).items).toEqual([]);
  });
});

describe("mcp: OAuth security", () => {
  it("refuses the consent form from another site", async () => {
    const person = await signedUp();
    const clientId = await registerClient();
    const { challenge } = await pkce();
    const html = await (await person.fetch(authorizeUrl(clientId, challenge))).text();
    const handle = /name="handle" value="([^"]+)"/.exec(html)![1]!;
    const forged = await person.fetch(authorizeUrl(clientId, challenge), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ handle, decision: "approve", scope: "full" }),
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
    expect((await person.api.mcp.clients.query()).items).toEqual([]);
  });

  it("refuses a form without the handle's browser binding", async () => {
    const person = await signedUp();
    const clientId = await registerClient();
    const { challenge } = await pkce();
    const html = await (await person.fetch(authorizeUrl(clientId, challenge))).text();
    const handle = /name="handle" value="([^"]+)"/.exec(html)![1]!;
    // The session alone, without the consent cookie the page set: another browser.
    const session = [...person.jar].filter(([name]) => name === "tessera_session").map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await workerFetch(authorizeUrl(clientId, challenge), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: session },
      body: new URLSearchParams({ handle, decision: "approve", scope: "full" }),
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect((await person.api.mcp.clients.query()).items).toEqual([]);
  });

  it("lets only the company's admins list and revoke its clients", async () => {
    const { person } = await connect("read");
    const {
      items: [connected],
    } = await person.api.mcp.clients.query();
    const fullKey = await person.api.keys.create.mutate({ name: "Worker", scope: "full" });
    await expectCode(client(fullKey.secret).mcp.clients.query(), "FORBIDDEN");
    const stranger = await signedUp();
    expect((await stranger.api.mcp.clients.query()).items).toEqual([]);
    await expectCode(stranger.api.mcp.revokeClient.mutate({ id: connected!.id }), "NOT_FOUND");
    expect((await person.api.mcp.clients.query()).items[0]!.live).toBe(true);
  });

  it("never takes a token for another resource or a made-up one", async () => {
    const made = await mcpPost("not-a-token", { method: "tools/list" });
    expect(made.status).toBe(401);
    const { accessToken } = await connect("read");
    const elsewhere = await workerFetch("http://tessera.test/mcp", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    // The resource server serves its one canonical URL: a token is never taken anywhere else.
    expect(elsewhere.status).toBe(404);
  });
});
