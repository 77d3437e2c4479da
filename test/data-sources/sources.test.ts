import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { datasetTables, productUsing, upload } from "./helpers";
import { h, expectCode } from "../harness";

const citiesCsv = "id,city,region\n1,Lisbon,EU\n2,Austin,US\n3,Porto,EU\n";

async function uploadCities(key: string, name = "Cities") {
  const { status, body } = await upload(`name=${name}&format=csv`, citiesCsv, { key });
  expect(status).toBe(201);
  return body.data as { id: string };
}

describe("dataSources: reading", () => {
  it("lists the company's own sources, newest first, without table names or secrets", async () => {
    const s = await h.seller({ verified: false });
    const first = await uploadCities(s.key, "First");
    const origin = await s.api.dataSources.createOrigin.mutate({ name: "Live API", url: "https://data.example.com/rows" });
    const list = (await s.api.dataSources.list.query()).items;
    expect(list.map((d) => d.id)).toEqual([origin.id, first.id]);
    expect(JSON.stringify(list)).not.toContain("ds_");
    expect(JSON.stringify(list)).not.toContain(origin.secret);
  });

  it("gets one source", async () => {
    const s = await h.seller({ verified: false });
    const cities = await uploadCities(s.key);
    const got = await s.api.dataSources.get.query({ id: cities.id });
    expect(got).toMatchObject({ id: cities.id, kind: "dataset", name: "Cities", rowCount: 3 });
    expect(got).not.toHaveProperty("tableName");
    await expectCode(s.api.dataSources.get.query({ id: "src_000000000000000000000000" }), "NOT_FOUND");
  });

  it("previews a dataset's first rows, every column, up to the limit", async () => {
    const s = await h.seller({ verified: false });
    const cities = await uploadCities(s.key);
    const preview = await s.api.dataSources.rows.query({ id: cities.id, limit: 2 });
    expect(preview.rowCount).toBe(3);
    expect(preview.columns.map((c) => c.name)).toEqual(["id", "city", "region"]);
    expect(preview.rows).toEqual([
      { id: 1, city: "Lisbon", region: "EU" },
      { id: 2, city: "Austin", region: "US" },
    ]);
    await expectCode(s.api.dataSources.rows.query({ id: cities.id, limit: 51 }), "BAD_REQUEST");
  });

  it("has no rows to preview for an origin", async () => {
    const s = await h.seller({ verified: false });
    const origin = await s.api.dataSources.createOrigin.mutate({ name: "Live API", url: "https://data.example.com/rows" });
    await expectCode(s.api.dataSources.rows.query({ id: origin.id }), "BAD_REQUEST");
  });
});

describe("dataSources.createOrigin", () => {
  it("returns the signing secret once, with how to verify it", async () => {
    const s = await h.seller({ verified: false });
    const origin = await s.api.dataSources.createOrigin.mutate({ name: "Live API", url: "https://data.example.com/rows", timeoutMs: 8000 });
    expect(origin).toMatchObject({ kind: "origin", name: "Live API", url: "https://data.example.com/rows", timeoutMs: 8000 });
    expect(origin.secret).toMatch(/^tos_[0-9a-f]{48}$/);
    expect(origin.verification).toContain("x-tessera-signature");
    expect(origin.verification).toContain("never shown again");

    // Tessera keeps it sealed, not as shown (test/secrets covers that its calls are signed with it).
    const stored = await env.DB.prepare("SELECT secret FROM data_sources WHERE id = ?").bind(origin.id).first<{ secret: string }>();
    expect(stored?.secret).toMatch(/^sealed:v1:/);
    expect(stored?.secret).not.toContain(origin.secret.slice(4));

    expect(await s.api.dataSources.get.query({ id: origin.id })).not.toHaveProperty("secret");
  });

  it("allows plain http to this machine only when ALLOW_INSECURE_ORIGINS is 1 (as in tests)", async () => {
    const s = await h.seller({ verified: false });
    expect(env.ALLOW_INSECURE_ORIGINS).toBe("1");
    const local = await s.api.dataSources.createOrigin.mutate({ name: "Local", url: "http://127.0.0.1:8787/rows" });
    expect(local.url).toBe("http://127.0.0.1:8787/rows");
    await expectCode(s.api.dataSources.createOrigin.mutate({ name: "Plain", url: "http://data.example.com/rows" }), "BAD_REQUEST");
  });

  it("refuses bad URLs and timeouts", async () => {
    const s = await h.seller({ verified: false });
    await expectCode(s.api.dataSources.createOrigin.mutate({ name: "Slow", url: "https://x.example.com", timeoutMs: 120_000 }), "BAD_REQUEST");
    await expectCode(s.api.dataSources.createOrigin.mutate({ name: "Bad", url: "not a url" }), "BAD_REQUEST");
    await expectCode(s.api.dataSources.createOrigin.mutate({ name: "Creds", url: "https://u:p@x.example.com" }), "BAD_REQUEST");
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });
});

describe("dataSources.delete", () => {
  it("deletes a dataset and its table", async () => {
    const s = await h.seller({ verified: false });
    const cities = await uploadCities(s.key);
    const tables = await datasetTables();
    expect(await s.api.dataSources.delete.mutate({ id: cities.id })).toEqual({ id: cities.id, deleted: true });
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
    expect((await datasetTables()).length).toBe(tables.length - 1);
    await expectCode(s.api.dataSources.get.query({ id: cities.id }), "NOT_FOUND");
  });

  it("refuses with CONFLICT while a product uses the source, naming it", async () => {
    const s = await h.seller({ verified: false });
    const cities = await uploadCities(s.key);
    const productId = await productUsing(s.company.id, cities.id, "City populations");
    const error = await s.api.dataSources.delete.mutate({ id: cities.id }).catch((e: unknown) => e);
    await expectCode(Promise.reject(error), "CONFLICT");
    expect((error as Error).message).toContain(productId);
    expect((error as Error).message).toContain("City populations");
    expect((await s.api.dataSources.rows.query({ id: cities.id })).rows).toHaveLength(3);

    await env.DB.prepare("DELETE FROM products WHERE id = ?").bind(productId).run();
    await s.api.dataSources.delete.mutate({ id: cities.id });
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });
});
