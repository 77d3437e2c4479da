import { describe, expect, it } from "vitest";
import { h, rest } from "../harness";

describe("another company's uploads and datasets over REST", () => {
  it("are NOT_FOUND to read, append to, complete or delete, and stay as they were", async () => {
    const victim = await h.seller({ name: "Victim Data", verified: false });
    const intruder = await h.seller({ name: "Intruder Data", verified: false });
    const opened = await rest("/v1/datasets/uploads?name=Private&format=csv", { method: "POST", key: victim.key });
    const id = opened.body.data.id as string;
    expect((await rest(`/v1/datasets/${id}/parts/1`, { method: "PUT", key: victim.key, body: "id,secret\n1,hunter2\n" })).status).toBe(200);

    for (const [method, path, body] of [
      ["GET", `/v1/datasets/${id}`, undefined],
      ["PUT", `/v1/datasets/${id}/parts/2`, "2,stolen\n"],
      ["POST", `/v1/datasets/${id}/complete`, undefined],
      ["DELETE", `/v1/datasets/${id}`, undefined],
    ] as const) {
      const res = await rest(path, { method, key: intruder.key, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
      expect(JSON.stringify(res.body)).not.toContain("hunter2");
    }
    expect((await rest("/v1/datasets", { key: intruder.key })).body.data).toEqual([]);

    const mine = await rest(`/v1/datasets/${id}`, { key: victim.key });
    expect(mine.body.data).toMatchObject({ status: "loading", upload: { parts: 1, rows: 1 } });
    const done = await rest(`/v1/datasets/${id}/complete`, { method: "POST", key: victim.key });
    expect(done.body.data).toMatchObject({ status: "ready", rowCount: 1 });
  });

  it("a read-only key can follow an upload but not write to it", async () => {
    const s = await h.seller({ verified: false });
    const readOnly = (await s.api.keys.create.mutate({ name: "dashboards", scope: "read" })).secret;
    const opened = await rest("/v1/datasets/uploads?name=Mine&format=csv", { method: "POST", key: s.key });
    const id = opened.body.data.id as string;
    expect((await rest("/v1/datasets/uploads?name=X&format=csv", { method: "POST", key: readOnly })).status).toBe(403);
    expect((await rest(`/v1/datasets/${id}/parts/1`, { method: "PUT", key: readOnly, body: "a\n1\n" })).status).toBe(403);
    expect((await rest(`/v1/datasets/${id}`, { method: "DELETE", key: readOnly })).status).toBe(403);
    expect((await rest(`/v1/datasets/${id}`, { key: readOnly })).body.data).toMatchObject({ id, status: "loading" });
  });
});
