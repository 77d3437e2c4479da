import { env } from "cloudflare:workers";
import type { DataDeps } from "../../src/data";

export const deps: DataDeps = { catalog: env.DB, datasets: env.DATASETS };

/** A request-like body: the text as UTF-8, cut into `size`-byte chunks (cuts may split a character). */
export function streamOf(text: string | Uint8Array, size = 16 * 1024): ReadableStream<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/** Every table and index in the DATASETS database. */
export async function datasetObjects(): Promise<string[]> {
  const { results } = await env.DATASETS.prepare(
    "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
  ).all<{ name: string }>();
  return results.map((r) => r.name);
}

export function companyId(): string {
  return `co_${crypto.randomUUID().slice(0, 8)}`;
}
