/**
 * `/mcp`: the MCP server's one URL (POST for messages, GET for the event
 * stream, DELETE is a no-op without sessions). A company key as
 * `Authorization: Bearer tsk_...` goes straight to the server; anything
 * else is an OAuth access token, checked by the OAuth resource server
 * (src/mcp/oauth), which also answers a request without a token with the
 * 401 challenge that starts an MCP client's OAuth flow.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../context";
import { errorOf } from "../metering/billing";
import { bearerToken, isCompanyKey, keyBearer } from "./caller";
import { answerConsent, showConsent } from "./oauth/consent";
import { authorizationServer, protectedResourceMetadataUrl, resourceServer } from "./oauth/provider";
import { mcpResponse } from "./server";

export const mcpRoutes = new Hono<AppEnv>();

mcpRoutes.all("/mcp", async (c) => {
  const token = bearerToken(c.req.raw);
  if (!token || !isCompanyKey(token)) return resourceServer(c.env).fetch(c.req.raw, c.env, c.executionCtx as ExecutionContext<unknown>);
  const s = c.var.services;
  try {
    const caller = await keyBearer(s, c.req.raw, token);
    return await mcpResponse(s, caller, c.req.raw, (p) => c.executionCtx.waitUntil(p));
  } catch (error) {
    return refused(c, error);
  }
});

// OAuth for MCP clients: Tessera's consent page, and the provider's own endpoints.
mcpRoutes.get("/oauth/authorize", (c) => showConsent(c));
mcpRoutes.post("/oauth/authorize", (c) => answerConsent(c));
for (const path of ["/oauth/token", "/oauth/register", "/.well-known/oauth-authorization-server", "/.well-known/oauth-authorization-server/*"]) {
  mcpRoutes.all(path, (c) => authorizationServer(c.env).fetch(c.req.raw, c.env, c.executionCtx as ExecutionContext<unknown>));
}
for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/*"]) {
  mcpRoutes.all(path, (c) => resourceServer(c.env).fetch(c.req.raw, c.env, c.executionCtx as ExecutionContext<unknown>));
}

/** A key refused before the MCP server: the HTTP status of its code, and the Bearer challenge on 401. */
function refused(c: Context<AppEnv>, error: unknown) {
  const known = errorOf(error, c.get("requestId"));
  if (known.status === 401) {
    c.header("WWW-Authenticate", `Bearer error="invalid_token", resource_metadata="${protectedResourceMetadataUrl(c.env)}"`);
  }
  return c.json({ error: { code: known.code, message: known.message, requestId: c.get("requestId") } }, known.status as 401);
}
