import { describe, expect, it } from "vitest";
import { createDataset, deleteDataset, getDataSource } from "../../src/data";
import type { DatasetSource } from "../../src/data";
import { companyId, datasetObjects, datasetSql, deps, objectOf, streamOf } from "./helpers";

const regions = ["EU", "US", "APAC", "LATAM"];

/** ~20,000 rows, with quoted fields, commas, quotes and a line break inside quotes. */
function bigCsv(rows: number): string {
  const lines = ["id,Region,Amount (USD),Active,Signed Up,Note"];
  for (let i = 1; i <= rows; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    const note = i % 1000 === 0 ? `"said ""hi"",\nthen left"` : i % 7 === 0 ? "" : `note ${i}`;
    lines.push(`${i},${regions[i % 4]},${(i * 1.25).toFixed(2)},${i % 3 === 0 ? "true" : "false"},2024-03-${day},${note}`);
  }
  return lines.join("\r\n") + "\r\n";
}

describe("createDataset", () => {
  it("streams a 20,000-row CSV into a typed table and registers it", async () => {
    const company = companyId();
    const source = await createDataset(deps, {
      companyId: company,
      name: "Orders",
      format: "csv",
      body: streamOf(bigCsv(20_000), 8 * 1024 + 3),
      filterable: ["Region"],
    });

    expect(source.rowCount).toBe(20_000);
    expect(source.id).toMatch(/^src_[0-9a-f]{24}$/);
    expect(source.status).toBe("ready");
    expect(source.columns).toEqual([
      { name: "id", label: "id", type: "integer", filterable: false },
      { name: "region", label: "Region", type: "text", filterable: true },
      { name: "amount_usd", label: "Amount (USD)", type: "real", filterable: false },
      { name: "active", label: "Active", type: "boolean", filterable: false },
      { name: "signed_up", label: "Signed Up", type: "date", filterable: false },
      { name: "note", label: "Note", type: "text", filterable: false },
    ]);
    expect(source.sizeBytes).toBe(new TextEncoder().encode(bigCsv(20_000)).length);

    const table = "data";
    const db = datasetSql(source);
    const stats = await db.prepare(
      `SELECT count(*) AS n, sum(c_0) AS ids, typeof(c_0) AS t0, typeof(c_2) AS t2, typeof(c_3) AS t3, sum(c_3) AS actives FROM ${table}`,
    ).first<Record<string, unknown>>();
    expect(stats).toEqual({ n: 20_000, ids: (20_000 * 20_001) / 2, t0: "integer", t2: "real", t3: "integer", actives: 6666 });
    const row = await db.prepare(`SELECT * FROM ${table} WHERE c_0 = 1000`).first();
    expect(row).toEqual({ c_0: 1000, c_1: "EU", c_2: 1250, c_3: 0, c_4: "2024-03-21", c_5: 'said "hi",\nthen left' });
    const empty = await db.prepare(`SELECT c_5 FROM ${table} WHERE c_0 = 7`).first();
    expect(empty).toEqual({ c_5: null });

    const indexes = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?")
      .bind(table)
      .all<{ name: string }>();
    expect(indexes.results.map((r) => r.name)).toEqual([`${table}_c_1`]);
    expect(await datasetObjects()).not.toContain(`${objectOf(source)}/stage`);

    const stored = await getDataSource(deps, source.id, { companyId: company });
    expect(stored).toEqual(source);
  });

  it("loads a JSON array of flat objects, missing fields as null", async () => {
    const items = [
      { sku: "A-1", price: 10, in_stock: true, launched: "2023-01-05" },
      { sku: "B-2", price: 12.5, in_stock: false },
      { sku: "C-3", price: null, in_stock: true, launched: "2023-02-10T08:30:00Z" },
    ];
    const source = (await createDataset(deps, {
      companyId: companyId(),
      name: "Catalog",
      format: "json",
      body: streamOf(JSON.stringify(items, null, 2), 7),
    })) as DatasetSource;
    expect(source.rowCount).toBe(3);
    expect(source.columns.map((c) => [c.name, c.type])).toEqual([
      ["sku", "text"],
      ["price", "real"],
      ["in_stock", "boolean"],
      ["launched", "date"],
    ]);
    const { results } = await datasetSql(source).prepare(`SELECT * FROM data ORDER BY rowid`).all();
    expect(results).toEqual([
      { c_0: "A-1", c_1: 10, c_2: 1, c_3: "2023-01-05" },
      { c_0: "B-2", c_1: 12.5, c_2: 0, c_3: null },
      { c_0: "C-3", c_1: null, c_2: 1, c_3: "2023-02-10T08:30:00Z" },
    ]);
  });

  it("loads NDJSON", async () => {
    const body = '{"city":"Oslo","pop":709000}\n{"city":"Bergen","pop":291000}\n';
    const source = await createDataset(deps, { companyId: companyId(), name: "Cities", format: "ndjson", body });
    expect(source.rowCount).toBe(2);
    expect(source.columns.map((c) => c.type)).toEqual(["text", "integer"]);
  });

  it("widens a column whose later values need it: integer, then real, then text", async () => {
    const rows = ["n,m,z"];
    for (let i = 0; i < 3000; i++) rows.push(`${i},${i},0${i}`);
    rows.push("2.5,x,1");
    const source = await createDataset(deps, { companyId: companyId(), name: "Late", format: "csv", body: rows.join("\n") });
    expect(source.columns.map((c) => c.type)).toEqual(["real", "text", "text"]);
    const last = await datasetSql(source).prepare(`SELECT c_0, c_1, c_2 FROM data ORDER BY rowid DESC LIMIT 1`).first();
    expect(last).toEqual({ c_0: 2.5, c_1: "x", c_2: "1" });
  });

  it("applies the seller's type overrides, by label or by name", async () => {
    const body = "Zip,Score,Flag\n00501,7,1\n10001,8,0\n";
    const source = await createDataset(deps, {
      companyId: companyId(),
      name: "Zips",
      format: "csv",
      body,
      columnTypes: { Zip: "text", score: "real" },
    });
    expect(source.columns.map((c) => c.type)).toEqual(["text", "real", "integer"]);
    const first = await datasetSql(source).prepare(`SELECT c_0, c_1, typeof(c_1) AS t FROM data ORDER BY rowid LIMIT 1`).first();
    expect(first).toEqual({ c_0: "00501", c_1: 7, t: "real" });
  });

  it("decodes UTF-8 cut mid-character by the stream", async () => {
    const body = "ville,note\nZürich,crème brûlée\n東京,🍣\n";
    const source = await createDataset(deps, { companyId: companyId(), name: "Utf8", format: "csv", body: streamOf(body, 1) });
    const { results } = await datasetSql(source).prepare(`SELECT c_0, c_1 FROM data ORDER BY rowid`).all();
    expect(results).toEqual([
      { c_0: "Zürich", c_1: "crème brûlée" },
      { c_0: "東京", c_1: "🍣" },
    ]);
  });

  it("keeps every statement under D1's 1 MB value limit with wide multibyte rows", async () => {
    const wide = "é".repeat(150_000); // 300 KB of UTF-8 per row
    const body = `id,text\n1,${wide}\n2,${wide}\n3,${wide}\n4,${wide}\n`;
    const source = await createDataset(deps, { companyId: companyId(), name: "Wide", format: "csv", body: streamOf(body, 64 * 1024) });
    const row = await datasetSql(source).prepare(`SELECT count(*) AS n, sum(length(c_1)) AS chars FROM data`).first();
    expect(row).toEqual({ n: 4, chars: 600_000 });
  });

  it("strips a BOM and maps awkward headers to safe, unique names", async () => {
    const body = "\uFEFFPrix €,Name; DROP TABLE x,2024 total,Prix-€\n1,a,2,3\n";
    const source = await createDataset(deps, { companyId: companyId(), name: "Odd", format: "csv", body });
    expect(source.columns.map((c) => [c.name, c.label])).toEqual([
      ["prix", "Prix €"],
      ["name_drop_table_x", "Name; DROP TABLE x"],
      ["col_2024_total", "2024 total"],
      ["prix_2", "Prix-€"],
    ]);
  });

  it("deletes a dataset: catalog row and table; someone else's is NOT_FOUND", async () => {
    const company = companyId();
    const source = await createDataset(deps, { companyId: company, name: "Gone", format: "csv", body: "a\n1\n" });
    await expect(deleteDataset(deps, { companyId: companyId(), id: source.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await datasetObjects()).toContain(`${objectOf(source)}/data`);
    await deleteDataset(deps, { companyId: company, id: source.id });
    expect(await datasetObjects()).not.toContain(`${objectOf(source)}/data`);
    await expect(getDataSource(deps, source.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
