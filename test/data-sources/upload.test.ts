import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { datasetTables, upload } from "./helpers";
import { h, client } from "../harness";

/** A CSV of about `bytes` bytes, produced row by row as the worker reads it. */
function csvStream(bytes: number) {
  const encoder = new TextEncoder();
  let sent = 0;
  let row = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const lines: string[] = row === 0 ? ["id,Region,Amount (USD),signed_up"] : [];
      for (let i = 0; i < 2000; i++) {
        row++;
        lines.push(`${row},${["EU", "US", "APAC"][row % 3]},${row % 7 === 0 ? row : `${row}.25`},2024-0${(row % 9) + 1}-1${row % 10}`);
      }
      const chunk = encoder.encode(`${lines.join("\n")}\n`);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, rows: () => row, bytes: () => sent };
}

describe("POST /v1/datasets", () => {
  it("streams a 5 MB CSV into a dataset the seller then sees over tRPC", async () => {
    const s = await h.seller({ verified: false });
    const csv = csvStream(5 * 1024 * 1024);
    const { status, body } = await upload("name=Signups&format=csv&filterable=region,signed_up", csv.stream, { key: s.key });

    expect(status).toBe(201);
    expect(body.data).toMatchObject({ kind: "dataset", name: "Signups", companyId: s.company.id, rowCount: csv.rows(), sizeBytes: csv.bytes() });
    expect(csv.bytes()).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    expect(body.data.columns).toEqual([
      { name: "id", label: "id", type: "integer", filterable: false },
      { name: "region", label: "Region", type: "text", filterable: true },
      { name: "amount_usd", label: "Amount (USD)", type: "real", filterable: false },
      { name: "signed_up", label: "signed_up", type: "date", filterable: true },
    ]);
    expect(body.data).not.toHaveProperty("tableName");

    const listed = (await s.api.dataSources.list.query()).items;
    expect(listed.map((d) => d.id)).toEqual([body.data.id]);
    const preview = await s.api.dataSources.rows.query({ id: body.data.id, limit: 3 });
    expect(preview.rows).toEqual([
      { id: 1, region: "US", amount_usd: 1.25, signed_up: "2024-02-11" },
      { id: 2, region: "APAC", amount_usd: 2.25, signed_up: "2024-03-12" },
      { id: 3, region: "EU", amount_usd: 3.25, signed_up: "2024-04-13" },
    ]);
  });

  it("applies column_types and takes the format from Content-Type", async () => {
    const s = await h.seller({ verified: false });
    const { status, body } = await upload(
      `name=Codes&column_types=${encodeURIComponent('{"zip":"text","Score":"real"}')}`,
      "zip,Score\n01234,7\n99999,8\n",
      { key: s.key, headers: { "content-type": "text/csv; charset=utf-8" } },
    );
    expect(status).toBe(201);
    expect(body.data.columns.map((c: { type: string }) => c.type)).toEqual(["text", "real"]);
    const { rows } = await s.api.dataSources.rows.query({ id: body.data.id });
    expect(rows[0]).toEqual({ zip: "01234", score: 7 });
  });

  it("loads NDJSON", async () => {
    const s = await h.seller({ verified: false });
    const { status, body } = await upload("name=Events&format=ndjson", '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n', { key: s.key });
    expect(status).toBe(201);
    expect(body.data.rowCount).toBe(2);
  });
});

describe("POST /v1/datasets: bad uploads", () => {
  it("answers 400 INVALID_DATASET naming the line, and stores nothing", async () => {
    const s = await h.seller({ verified: false });
    const before = await datasetTables();
    const csv = "id,amount\n1,2.5\n2,3\n3,\"unterminated\n";
    const { status, body } = await upload("name=Broken&format=csv", csv, { key: s.key });
    expect(status).toBe(400);
    expect(body.error.code).toBe("INVALID_DATASET");
    expect(body.error.message).toMatch(/^Line 4\b/);
    expect(body.error.requestId).toMatch(/^req_/);
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
    expect(await datasetTables()).toEqual(before);
  });

  it("names the line and column of a value that breaks a declared type", async () => {
    const s = await h.seller({ verified: false });
    const { status, body } = await upload(`name=Typed&format=csv&column_types=${encodeURIComponent('{"amount":"integer"}')}`, "id,amount\n1,2\n2,n/a\n", {
      key: s.key,
    });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "INVALID_DATASET" });
    expect(body.error.message).toContain('Line 3, column "amount"');
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });

  it("refuses malformed query parameters with BAD_REQUEST", async () => {
    const s = await h.seller({ verified: false });
    const badTypes = await upload("name=X&format=csv&column_types=amount:real", "a\n1\n", { key: s.key });
    expect(badTypes.status).toBe(400);
    expect(badTypes.body.error.code).toBe("BAD_REQUEST");
    expect(badTypes.body.error.message).toContain("column_types");

    const badFormat = await upload("name=X&format=xlsx", "a\n1\n", { key: s.key });
    expect(badFormat.body.error).toMatchObject({ code: "BAD_REQUEST" });
    expect(badFormat.body.error.message).toContain("csv, json, ndjson");

    const noName = await upload("format=csv", "a\n1\n", { key: s.key });
    expect(noName.body.error).toMatchObject({ code: "INVALID_DATASET" });
    expect(noName.body.error.message).toContain("name");
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });

  it("refuses an announced oversize body by its Content-Length, before reading it", async () => {
    const s = await h.seller({ verified: false });
    // The body itself is a tiny valid CSV: only the declared length can make this fail.
    const res = await upload("name=Huge&format=csv", "a,b\n1,2\n", {
      key: s.key,
      headers: { "content-length": String(150 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(res.body.error.message).toContain("100 MB");
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });
});

describe("POST /v1/datasets: who may upload", () => {
  it("answers 401 UNAUTHORIZED without a key", async () => {
    const { status, body } = await upload("name=X&format=csv", "a\n1\n");
    expect(status).toBe(401);
    expect(body.error.code).toBe("UNAUTHORIZED");
  });

  it("refuses a buyer-only company with FORBIDDEN and says why", async () => {
    const buyer = await client().companies.signUp.mutate({ name: "Only Buys", isBuyer: true, isSeller: false });
    const { status, body } = await upload("name=X&format=csv", "a\n1\n", { key: buyer.apiKey.secret });
    expect(status).toBe(403);
    expect(body.error.code).toBe("FORBIDDEN");
    expect(body.error.message).toMatch(/seller/i);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM data_sources WHERE company_id = ?").bind(buyer.company.id).first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("refuses a read-only key with FORBIDDEN", async () => {
    const s = await h.seller({ verified: false });
    const readOnly = await s.api.keys.create.mutate({ name: "dashboards", scope: "read" });
    const { status, body } = await upload("name=X&format=csv", "a\n1\n", { key: readOnly.secret });
    expect(status).toBe(403);
    expect(body.error.code).toBe("FORBIDDEN");
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });
});
