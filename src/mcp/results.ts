/**
 * How tool outcomes look to an MCP client. Success: `structuredContent` with
 * the answer (for metered tools the REST body, `billing` included) and the
 * same JSON as text. Failure: a tool error (`isError: true`) whose
 * `structuredContent` is `{ error: { code, message, requestId, details? },
 * billing }` with `billed: false`, so an agent can branch on the stable code.
 * A 402 carries its payment terms and challenge in `error.details.payment`.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { errorOf, unbilled, type ErrorBody, type MeteredAnswer } from "../metering/billing";
import { withPaymentTerms } from "../metering/payment";
import type { ToolContext } from "./tool";

type Content = CallToolResult["content"][number];

export function ok(structured: Record<string, unknown>, extra: Content[] = []): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(structured) }, ...extra], structuredContent: structured };
}

/** One page of a list tool: its items under `name`, and the cursor of the next page (null on the last). */
export function okPage(name: string, items: unknown[], nextCursor: string | null): CallToolResult {
  return ok({ [name]: items, next_cursor: nextCursor });
}

/** A failure before or outside the metered path: nothing was billed. */
export function toolError(ctx: ToolContext, error: unknown): CallToolResult {
  const known = errorOf(error, ctx.requestId);
  const body: ErrorBody = {
    error: { code: known.code, message: known.message, requestId: ctx.requestId },
    billing: unbilled(ctx.requestId),
  };
  return errorResult(body);
}

/** A metered answer (endpoint page or asset execution) as a tool result. */
export async function meteredResult(ctx: ToolContext, metered: MeteredAnswer, extra: (body: never) => Content[] = () => []): Promise<CallToolResult> {
  const answer = await withPaymentTerms(ctx.s.env, ctx.origin, metered);
  if (answer.status === 200) return ok(answer.body as Record<string, unknown>, extra(answer.body as never));
  return errorResult(answer.body as ErrorBody);
}

function errorResult(body: ErrorBody): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: `${body.error.code}: ${body.error.message}\n${JSON.stringify(body)}` }],
    structuredContent: body as unknown as Record<string, unknown>,
  };
}
