/**
 * The MCP server: Streamable HTTP on the SDK's web-standard transport,
 * stateless (a server and a transport per request, JSON answers, no
 * session), so any isolate can answer any request. Tools are listed with
 * their zod schemas as JSON Schema; a call is checked (scope, key, input)
 * before it runs, and every failure becomes a tool error with its code.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool as ListedTool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { TesseraError, isErrorCode } from "../errors";
import { randomToken } from "../ids";
import type { Services } from "../services";
import { liveKey, requireToolScope, type McpCaller } from "./caller";
import { toolError } from "./results";
import type { Tool, ToolContext } from "./tool";
import { buyCredits } from "./tools/buy-credits";
import { executeAsset } from "./tools/execute-asset";
import { fetchEndpointPage } from "./tools/fetch-endpoint-page";
import { getBalance } from "./tools/get-balance";
import { getProduct } from "./tools/get-product";
import { listPurchasesTool } from "./tools/list-purchases";
import { quote } from "./tools/quote";
import { searchMarketplace } from "./tools/search-marketplace";

export const tools: Tool[] = [
  searchMarketplace,
  getProduct,
  quote,
  fetchEndpointPage,
  executeAsset,
  getBalance,
  listPurchasesTool,
  buyCredits,
] as Tool[];

const byName = new Map(tools.map((t) => [t.name, t]));

const INSTRUCTIONS =
  "Tessera is a marketplace of data products paid with your company's prepaid credits (1 credit = the USD value in the catalogue). " +
  "Find products with search_marketplace, read one with get_product, price it with quote, then fetch_endpoint_page (endpoints) or execute_asset (assets). " +
  "Every billed result has a `billing` object; failures are never billed. Out of credits, errors say the price, the balance and how to top up (buy_credits gives a Checkout link for a person).";

/** The tool list never changes within an isolate: its JSON Schemas are made once. */
let listed: ListedTool[] | undefined;
function toolList(): ListedTool[] {
  listed ??= tools.map((t) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: z.toJSONSchema(t.input, { io: "input" }) as ListedTool["inputSchema"],
    annotations: { title: t.title, readOnlyHint: t.readOnly, destructiveHint: false, idempotentHint: t.readOnly, openWorldHint: false },
  }));
  return listed;
}

/**
 * The SDK's JSON Schema validator (for what a client answers the server;
 * Tessera asks nothing), one per isolate: each new one compiles Ajv's
 * meta-schemas, which cost more than the rest of a tool call.
 */
let validator: AjvJsonSchemaValidator | undefined;

/** One MCP request (POST: JSON-RPC messages; GET: the server's event stream; DELETE: no session to end). */
export async function mcpResponse(s: Services, caller: McpCaller, request: Request, waitUntil: (p: Promise<unknown>) => void): Promise<Response> {
  validator ??= new AjvJsonSchemaValidator();
  const server = new Server(
    { name: "tessera", version: "1.0.0" },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS, jsonSchemaValidator: validator },
  );
  const origin = new URL(request.url).origin;
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolList() }));
  server.setRequestHandler(CallToolRequestSchema, (call) =>
    callTool({ s, caller, requestId: `req_${randomToken(20)}`, startedAt: Date.now(), origin }, call.params.name, call.params.arguments),
  );
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  const response = await transport.handleRequest(request);
  // A GET's stream stays open until the client leaves; a POST's answer is complete.
  if (request.method !== "GET") waitUntil(server.close());
  return response;
}

async function callTool(ctx: ToolContext, name: string, args: unknown): Promise<CallToolResult> {
  try {
    const found = byName.get(name);
    if (!found) throw new TesseraError("NOT_FOUND", `No tool ${name}. Tools: ${tools.map((t) => t.name).join(", ")}.`);
    requireToolScope(ctx.caller, found.scope);
    const parsed = found.input.safeParse(args ?? {});
    if (!parsed.success) throw inputError(name, parsed.error);
    // Metered tools check the key on their own path (the wallet decides, in the transaction of the charge).
    if (!found.metered) await liveKey(ctx.s.db, ctx.caller);
    return await found.run(ctx, parsed.data);
  } catch (error) {
    return toolError(ctx, error);
  }
}

/** Bad arguments: BAD_REQUEST naming the field, or the code a schema names. Never a charge. */
function inputError(name: string, error: z.ZodError): TesseraError {
  const issue = error.issues[0];
  const coded = issue?.code === "custom" ? (issue.params as { code?: unknown } | undefined)?.code : undefined;
  const where = issue?.path.join(".") || "arguments";
  return new TesseraError(isErrorCode(coded) ? coded : "BAD_REQUEST", `${name}: ${where}: ${issue?.message ?? "invalid"}`);
}
