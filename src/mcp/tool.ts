/**
 * One MCP tool: its name, what an agent reads about it, its zod input
 * schema (the contract, sent as JSON Schema in tools/list), the key scope
 * it needs, and what it does. Tools are thin adapters over domain
 * functions; the metered ones call the one metered path (src/metering).
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { KeyScope } from "../db/schema";
import type { Services } from "../services";
import type { McpCaller } from "./caller";

export interface ToolContext {
  s: Services;
  caller: McpCaller;
  /** This tool call's own request id: one per call, so two calls in one HTTP request never share a wallet operation. */
  requestId: string;
  startedAt: number;
  /** Where the client reached Tessera, for links (Checkout, the catalogue). */
  origin: string;
}

export interface Tool<I extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  /** `read` tools only read; `full` tools spend credits or start a payment. */
  scope: Extract<KeyScope, "read" | "full">;
  /** Hints for clients (MCP tool annotations). */
  readOnly: boolean;
  /** Goes through the metered path, which checks the key itself; other tools have it checked first. */
  metered: boolean;
  run(ctx: ToolContext, input: z.output<I>): Promise<CallToolResult>;
}

export function tool<I extends z.ZodType>(definition: Tool<I>): Tool<I> {
  return definition;
}
