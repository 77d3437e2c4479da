import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startUpload, type DatasetColumn } from "../../src/data";
import { datasetOf } from "../../src/data/store/client";
import { UPLOAD_IDLE_MS } from "../../src/data/store/dataset";
import { datasetObjects, deps, objectOf } from "../data/helpers";
import { h, rest } from "../harness";

/** About `rows` rows of CSV, produced as the worker reads them. */
function csv(rows: number): string {
  const lines = ["id,region,amount"];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${["EU", "US", "APAC"][i % 3]},${i}.5`);
  return `${lines.join("\n")}\n`;
}

async function catalogRow(id: string) {
  return env.DB.prepare("SELECT status, row_count AS rowCount, size_bytes AS sizeBytes FROM data_sources WHERE id = ?").bind(id).first();
}

/** What the dataset's object stores, by table (meta, stage, data, indexes) and alarm. */
async function stored(source: { id: string }) {
  const prefix = `${objectOf(source)}/`;
  return (await datasetObjects()).filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
}

/** Time passes as the object sees it (tests and objects share the isolate's clock). */
function later(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + ms);
}

afterEach(() => vi.useRealTimers());

describe("an upload nobody finishes is swept by its object's alarm", () => {
  it("removes 300,000 staged rows and the catalog row once no chunk arrived for the idle period, not before", async () => {
    const s = await h.seller({ verified: false });
    const opened = await rest("/v1/datasets/uploads?name=Killed&format=csv", { method: "POST", key: s.key });
    const id = opened.body.data.id as string;
    const part = await rest(`/v1/datasets/${id}/parts/1`, { method: "PUT", key: s.key, body: csv(300_000) });
    expect(part.body.data.upload).toMatchObject({ phase: "receiving", parts: 1, rows: 300_000 });
    // The seller's script (or the worker) dies here: no more parts, no complete.
    expect(await stored({ id })).toEqual(["alarm", "meta", "stage"]);

    // An alarm that fires while the upload is still fresh leaves it alone.
    expect(await runDurableObjectAlarm(env.DATASET.getByName(id))).toBe(true);
    expect((await rest(`/v1/datasets/${id}`, { key: s.key })).body.data.status).toBe("loading");
    expect(await stored({ id })).toEqual(["alarm", "meta", "stage"]);

    later(UPLOAD_IDLE_MS + 1000);
    expect(await runDurableObjectAlarm(env.DATASET.getByName(id))).toBe(true);
    expect(await catalogRow(id)).toBeNull();
    expect(await stored({ id })).toEqual([]);
    expect((await rest(`/v1/datasets/${id}`, { key: s.key })).status).toBe(404);
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });

  it("sweeps an upload whose worker died mid-request, before any part was committed", async () => {
    const s = await h.seller({ verified: false });
    const source = await startUpload(deps, { companyId: s.company.id, name: "Half", format: "csv" });
    // What a worker does while it streams a part, until it is killed: batches appended, nothing committed.
    const stub = datasetOf(deps.datasets, source.id);
    const { lease } = await stub.resume(1);
    const rows = Array.from({ length: 5000 }, (_, i) => JSON.stringify([String(i), "EU", "1.5"]));
    await stub.append(lease, 3, [`[${rows.join(",")}]`], { bytes: 60_000, rows: 5000 });
    expect(await catalogRow(source.id)).toMatchObject({ status: "loading" });
    expect(await stored(source)).toEqual(["alarm", "meta", "stage"]);

    later(UPLOAD_IDLE_MS + 1000);
    expect(await runDurableObjectAlarm(env.DATASET.getByName(source.id))).toBe(true);
    expect(await catalogRow(source.id)).toBeNull();
    expect(await stored(source)).toEqual([]);
  });

  it("finishes the catalog row of an upload whose last request died after the rows were in place", async () => {
    const s = await h.seller({ verified: false });
    const source = await startUpload(deps, { companyId: s.company.id, name: "Almost", format: "csv" });
    const stub = datasetOf(deps.datasets, source.id);
    const { lease } = await stub.resume(1);
    await stub.append(lease, 2, ['[["1","a"],["2","b"]]'], { bytes: 12, rows: 2 });
    const columns: DatasetColumn[] = [
      { name: "id", label: "id", type: "integer", filterable: true },
      { name: "name", label: "name", type: "text", filterable: false },
    ];
    let progress = await stub.finish(lease, 1, columns, { bytes: 12, rows: 2 });
    while (progress.phase !== "ready") progress = await stub.step(lease);
    // The request dies before telling the catalog.
    expect(await catalogRow(source.id)).toMatchObject({ status: "loading" });

    later(UPLOAD_IDLE_MS + 1000);
    expect(await runDurableObjectAlarm(env.DATASET.getByName(source.id))).toBe(true);
    expect(await catalogRow(source.id)).toEqual({ status: "ready", rowCount: 2, sizeBytes: 12 });
    expect(await stored(source)).toEqual(["data", "data_c_0", "meta"]); // no alarm left
    expect((await s.api.dataSources.rows.query({ id: source.id })).rows).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
  });
});
