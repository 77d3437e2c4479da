import { env } from "cloudflare:workers";
import { datasetObjects } from "../data/helpers";
import { BASE, workerFetch } from "../harness";

/** `POST /v1/datasets` with `body` as the request body; returns status and parsed JSON. */
export async function upload(
  query: string,
  body: BodyInit | null,
  opts: { key?: string; headers?: Record<string, string> } = {},
) {
  const headers = new Headers(opts.headers);
  if (opts.key) headers.set("x-api-key", opts.key);
  const res = await workerFetch(`${BASE}/v1/datasets?${query}`, { method: "POST", body, headers });
  return { status: res.status, body: (await res.json()) as any };
}

/** The hosted datasets' objects that store anything (one per dataset), to prove a failed upload left nothing behind. */
export async function datasetTables(): Promise<string[]> {
  return [...new Set((await datasetObjects()).map((entry) => entry.split("/")[0]!))];
}

/** A product row pointing at `dataSourceId`, as the products module would store it. */
export async function productUsing(sellerCompanyId: string, dataSourceId: string, name = "City populations") {
  const id = `prd_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO products (id, seller_company_id, type, name, data_source_id, spec, created_at, updated_at) VALUES (?, ?, 'endpoint', ?, ?, '{}', ?, ?)",
  )
    .bind(id, sellerCompanyId, name, dataSourceId, now, now)
    .run();
  return id;
}
