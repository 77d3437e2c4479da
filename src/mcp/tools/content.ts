import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ProductResult } from "../../products/run";

/** A chart's SVG as an MCP image block (base64, image/svg+xml); nothing for other results. */
export function resultContent(result: ProductResult): CallToolResult["content"] {
  if (result.type !== "visualization") return [];
  return [{ type: "image", mimeType: "image/svg+xml", data: base64(result.svg) }];
}

/** The result as structured data: a chart's SVG travels as the image block, not twice. */
export function withoutSvg(result: ProductResult): ProductResult | Omit<Extract<ProductResult, { type: "visualization" }>, "svg"> {
  if (result.type !== "visualization") return result;
  const { svg: _svg, ...data } = result;
  return data;
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
