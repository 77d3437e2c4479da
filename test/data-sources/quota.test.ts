import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { datasetLimits } from "../../src/data";
import { datasetTables, upload } from "./helpers";
import { h, rest } from "../harness";

const quota = datasetLimits(env).quotaBytes;

/** A finished dataset of `bytes` the company already has (only its size matters here). */
async function alreadyStored(companyId: string, bytes: number) {
  const id = `src_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
  await env.DB.prepare(
    "INSERT INTO data_sources (id, company_id, kind, name, status, row_count, columns, size_bytes, created_at) VALUES (?, ?, 'dataset', 'Old', 'ready', 0, '[]', ?, ?)",
  )
    .bind(id, companyId, bytes, Date.now() - 1000)
    .run();
  return id;
}

/** `bytes` of CSV as a stream with no Content-Length, as a chunked upload arrives. */
function streamed(bytes: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let sent = 0;
  let row = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const lines = row === 0 ? ["id,value"] : [];
      for (let i = 0; i < 500; i++) lines.push(`${++row},${row * 3}`);
      const chunk = encoder.encode(`${lines.join("\n")}\n`);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

describe("a seller's storage quota", () => {
  it("is the DATASET_QUOTA_MB var (5 GB by default)", () => {
    expect(env.DATASET_QUOTA_MB).toBe("5120");
    expect(quota).toBe(5120 * 1024 * 1024);
  });

  it("refuses an upload whose Content-Length passes what is left, before reading it", async () => {
    const s = await h.seller({ verified: false });
    const old = await alreadyStored(s.company.id, quota - 100);
    const before = await datasetTables();
    const body = "id,value\n" + "1,2\n".repeat(50); // 209 bytes: more than the 100 left
    const res = await upload("name=Over&format=csv", body, { key: s.key, headers: { "content-length": String(new TextEncoder().encode(body).length) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("QUOTA_EXCEEDED");
    expect(res.body.error.message).toMatch(/^Your hosted datasets may take 5 GB in all; .* are used, so this upload does not fit\./);
    expect((await s.api.dataSources.list.query()).items.map((d) => d.id)).toEqual([old]);
    expect(await datasetTables()).toEqual(before);
  });

  it("stops a streamed upload as soon as the running total passes it, keeping nothing", async () => {
    const s = await h.seller({ verified: false });
    const old = await alreadyStored(s.company.id, quota - 50_000);
    const before = await datasetTables();
    const res = await upload("name=Stream&format=csv", streamed(2_000_000), { key: s.key });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("QUOTA_EXCEEDED");
    expect((await s.api.dataSources.list.query()).items.map((d) => d.id)).toEqual([old]);
    expect(await datasetTables()).toEqual(before);
  });

  it("counts the parts of an upload already stored, and ends the upload that would pass it", async () => {
    const s = await h.seller({ verified: false });
    await alreadyStored(s.company.id, quota - 3_000);
    const opened = await rest("/v1/datasets/uploads?name=Parts&format=csv", { method: "POST", key: s.key });
    const id = opened.body.data.id as string;
    const first = await rest(`/v1/datasets/${id}/parts/1`, { method: "PUT", key: s.key, body: "id,value\n" + "1,2\n".repeat(500) });
    expect(first.status).toBe(200);
    const second = await rest(`/v1/datasets/${id}/parts/2`, { method: "PUT", key: s.key, body: "3,4\n".repeat(500) });
    expect(second.status).toBe(413);
    expect(second.body.error.code).toBe("QUOTA_EXCEEDED");
    expect((await rest(`/v1/datasets/${id}`, { key: s.key })).status).toBe(404);
  });

  it("is the seller's own: another company's datasets don't count", async () => {
    const full = await h.seller({ name: "Full Data", verified: false });
    await alreadyStored(full.company.id, quota);
    const other = await h.seller({ name: "Other Data", verified: false });
    const res = await upload("name=Fine&format=csv", "id\n1\n", { key: other.key });
    expect(res.status).toBe(201);
    const refused = await upload("name=Nope&format=csv", "id\n1\n", { key: full.key });
    expect(refused.body.error.code).toBe("QUOTA_EXCEEDED");
  });
});
