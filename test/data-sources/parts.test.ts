import { describe, expect, it } from "vitest";
import { datasetTables, upload } from "./helpers";
import { h, BASE, rest, workerFetch } from "../harness";

/** A CSV with quoting, a line break inside quotes and multibyte text, `rows` rows. */
function csv(rows: number): string {
  const lines = ["id,city,note"];
  for (let i = 1; i <= rows; i++) lines.push(`${i},Zürich ${i},${i % 50 === 0 ? `"a ""quoted"",\nnote"` : `東京 ${i}`}`);
  return `${lines.join("\n")}\n`;
}

/** The file's bytes in `n` parts: cut mid-row, and the last cut inside a three-byte character. */
function parts(text: string, n: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const cuts = Array.from({ length: n - 1 }, (_, i) => Math.floor(((i + 1) * bytes.length) / n));
  if (cuts.length) cuts[cuts.length - 1] = bytes.indexOf(0xe6, cuts.at(-1)) + 1; // just after the first byte of 東
  return [...cuts, bytes.length].map((end, i, ends) => bytes.slice(i === 0 ? 0 : ends[i - 1], end));
}

async function openUpload(key: string, query = "name=Cities&format=csv&filterable=city") {
  const res = await rest(`/v1/datasets/uploads?${query}`, { method: "POST", key });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; status: string };
}

const put = (key: string, id: string, part: number | string, body: BodyInit) =>
  rest(`/v1/datasets/${id}/parts/${part}`, { method: "PUT", key, body });

describe("uploads in parts", () => {
  it("appends parts cut anywhere and ends with the same dataset as one request, showing progress on the way", async () => {
    const s = await h.seller({ verified: false });
    const text = csv(3000);
    const started = await openUpload(s.key);
    expect(started).toMatchObject({ status: "loading", upload: { phase: "receiving", parts: 0, bytes: 0, rows: 0 } });

    const pieces = parts(text, 3);
    // Part 2 ends inside a character: its first byte is carried to part 3.
    expect(pieces[1]!.at(-1)).toBe(0xe6);
    let bytes = 0;
    for (const [i, piece] of pieces.entries()) {
      const res = await put(s.key, started.id, i + 1, piece);
      expect(res.status).toBe(200);
      bytes += piece.byteLength;
      expect(res.body.data).toMatchObject({ id: started.id, status: "loading", upload: { phase: "receiving", parts: i + 1, bytes } });
      // What a REST caller and the admin see while it runs.
      const seen = await rest(`/v1/datasets/${started.id}`, { key: s.key });
      expect(seen.body.data.upload).toMatchObject({ phase: "receiving", parts: i + 1, bytes });
      const admin = (await s.api.dataSources.get.query({ id: started.id })) as { upload?: unknown };
      expect(admin.upload).toMatchObject({ phase: "receiving", parts: i + 1, bytes });
    }
    const rowsSoFar = (await rest(`/v1/datasets/${started.id}`, { key: s.key })).body.data.upload.rows;
    expect(rowsSoFar).toBeGreaterThan(2900); // the last row may still be unfinished until complete

    const done = await rest(`/v1/datasets/${started.id}/complete`, { method: "POST", key: s.key });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ id: started.id, status: "ready", rowCount: 3000, sizeBytes: new TextEncoder().encode(text).length });
    expect(done.body.data).not.toHaveProperty("upload");

    const whole = await upload("name=Whole&format=csv&filterable=city", text, { key: s.key });
    expect(done.body.data.columns).toEqual(whole.body.data.columns);
    const [a, b] = await Promise.all([
      s.api.dataSources.rows.query({ id: started.id, limit: 50 }),
      s.api.dataSources.rows.query({ id: whole.body.data.id, limit: 50 }),
    ]);
    expect(a.rows).toEqual(b.rows);
    expect(a.rows[49]).toEqual({ id: 50, city: "Zürich 50", note: 'a "quoted",\nnote' });
    expect(a.rows[1]).toEqual({ id: 2, city: "Zürich 2", note: "東京 2" });

    // Completing again answers the same dataset; a part after the end is refused.
    expect((await rest(`/v1/datasets/${started.id}/complete`, { method: "POST", key: s.key })).body.data).toMatchObject({ status: "ready", rowCount: 3000 });
    const late = await put(s.key, started.id, 4, "4,x,y\n");
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("CONFLICT");
  });

  it("stores a retried part once, and refuses parts out of order", async () => {
    const s = await h.seller({ verified: false });
    const started = await openUpload(s.key);
    const [first, second] = parts(csv(200), 2);
    expect((await put(s.key, started.id, 1, first!)).status).toBe(200);
    // The answer was lost and the client sends part 1 again: nothing is appended twice.
    const again = await put(s.key, started.id, 1, first!);
    expect(again.status).toBe(200);
    expect(again.body.data.upload.parts).toBe(1);

    const skipped = await put(s.key, started.id, 3, second!);
    expect(skipped.status).toBe(409);
    expect(skipped.body.error).toMatchObject({ code: "CONFLICT", message: "Send part 2 first: parts are appended in order." });
    expect((await put(s.key, started.id, "zero", second!)).body.error.code).toBe("BAD_REQUEST");

    expect((await put(s.key, started.id, 2, second!)).status).toBe(200);
    const done = await rest(`/v1/datasets/${started.id}/complete`, { method: "POST", key: s.key });
    expect(done.body.data.rowCount).toBe(200);
  });

  it("replaces what a part cut off mid-way had stored when it is sent again", async () => {
    const s = await h.seller({ verified: false });
    const started = await openUpload(s.key);
    const text = csv(40_000);
    const bytes = new TextEncoder().encode(text);
    // Part 1 dies after about 1 MB: the connection drops.
    let sent = 0;
    const dying = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 1_200_000) return controller.error(new Error("connection reset"));
        controller.enqueue(bytes.slice(sent, sent + 64 * 1024));
        sent += 64 * 1024;
      },
    });
    const cut = await workerFetch(`${BASE}/v1/datasets/${started.id}/parts/1`, {
      method: "PUT",
      body: dying,
      headers: { "x-api-key": s.key, "content-length": String(bytes.length) },
    }).catch((e: unknown) => e);
    if (cut instanceof Response) await cut.body?.cancel();
    const during = await rest(`/v1/datasets/${started.id}`, { key: s.key });
    expect(during.body.data).toMatchObject({ status: "loading", upload: { parts: 0 } });
    expect(during.body.data.upload.rows).toBeGreaterThan(0); // rows of the cut part were stored before it broke

    expect((await put(s.key, started.id, 1, bytes)).status).toBe(200);
    const done = await rest(`/v1/datasets/${started.id}/complete`, { method: "POST", key: s.key });
    expect(done.body.data).toMatchObject({ status: "ready", rowCount: 40_000 });
  });

  it("ends the upload and keeps nothing when a part holds a bad row", async () => {
    const s = await h.seller({ verified: false });
    const before = await datasetTables();
    const started = await openUpload(s.key);
    expect((await put(s.key, started.id, 1, "id,city,note\n1,a,b\n")).status).toBe(200);
    const bad = await put(s.key, started.id, 2, "2,b,c\n3,only two\n");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "INVALID_DATASET", message: "Line 4: expected 3 fields as in the header, found 2." });
    expect((await rest(`/v1/datasets/${started.id}`, { key: s.key })).status).toBe(404);
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
    expect(await datasetTables()).toEqual(before);
  });

  it("is stopped by DELETE, leaving nothing", async () => {
    const s = await h.seller({ verified: false });
    const before = await datasetTables();
    const started = await openUpload(s.key);
    expect((await put(s.key, started.id, 1, csv(500))).status).toBe(200);
    const stopped = await rest(`/v1/datasets/${started.id}`, { method: "DELETE", key: s.key });
    expect(stopped.body.data).toEqual({ id: started.id, deleted: true });
    expect((await rest(`/v1/datasets/${started.id}`, { key: s.key })).status).toBe(404);
    expect(await datasetTables()).toEqual(before);
  });

  it("can't back a product until it is complete", async () => {
    const s = await h.seller({ verified: false });
    const started = await openUpload(s.key);
    expect((await put(s.key, started.id, 1, csv(10))).status).toBe(200);
    const error = await s.api.products.create
      .mutate({ type: "endpoint", name: "Early", dataSourceId: started.id, spec: {}, priceUsd: "1" })
      .catch((e: unknown) => e);
    expect((error as { data?: { code?: string } }).data?.code).toBe("CONFLICT");
    const preview = await s.api.dataSources.rows.query({ id: started.id }).catch((e: unknown) => e);
    expect((preview as { data?: { code?: string } }).data?.code).toBe("CONFLICT");
  });

  it("lists the company's datasets, uploads running included", async () => {
    const s = await h.seller({ verified: false });
    const started = await openUpload(s.key, "name=Running&format=csv");
    const whole = await upload("name=Done&format=csv", csv(5), { key: s.key });
    const list = await rest("/v1/datasets", { key: s.key });
    expect(list.body.data.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([
      [whole.body.data.id, "ready"],
      [started.id, "loading"],
    ]);
  });
});
