import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { h, workerFetch } from "../harness";

/** Where tests reach the MCP server: PUBLIC_URL, the origin OAuth tokens are issued for. */
export const MCP_URL = `${new URL(env.PUBLIC_URL).origin}/mcp`;

let nextId = 1;

/** One JSON-RPC request to /mcp with a bearer token; returns the HTTP response and its parsed JSON. */
export async function mcpPost(token: string | null, message: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await workerFetch(MCP_URL, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, ...message }),
  });
  const text = await res.text();
  return { res, status: res.status, body: text ? (JSON.parse(text) as any) : null };
}

export interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string; data?: string; mimeType?: string }[];
  structuredContent: any;
}

/** Calls a tool; fails the test on a JSON-RPC error (a tool error is a result). */
export async function callTool(token: string, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  const { status, body } = await mcpPost(token, { method: "tools/call", params: { name, arguments: args } });
  expect(status, JSON.stringify(body)).toBe(200);
  expect(body.error, JSON.stringify(body.error)).toBeUndefined();
  return body.result as ToolResult;
}

/** A tool error with `code`, billed nothing. */
export function expectToolError(result: ToolResult, code: string) {
  expect(result.isError, JSON.stringify(result)).toBe(true);
  expect(result.structuredContent.error.code).toBe(code);
  expect(result.structuredContent.billing).toMatchObject({ billed: false, credits: 0 });
}

/** A seller with an endpoint over 1,000 cities ($0.50), a calculation ($2) and a chart ($2.50), and a buyer with `credits`. */
export async function marketplace(credits = 100) {
  const { seller: s, endpoint, buyer, source, key: endpointKey } = await h.listedEndpoint({ buyerCredits: credits });
  const { total, chart } = await h.cityAssets(s, source.id, { total: "2", chart: "2.50" });
  return { seller: s, endpoint, endpointKey, total, chart, buyer };
}

/** The buyer's charges in its wallet's ledger, newest first. */
export async function charges(api: { credits: { history: { query: (i: { kinds: ["charge"]; limit: number }) => Promise<{ items: { credits: number; productId: string | null }[] }> } } }) {
  return (await api.credits.history.query({ kinds: ["charge"], limit: 100 })).items;
}
