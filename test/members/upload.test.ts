import { describe, expect, it } from "vitest";
import { signedUp } from "./browser";
import { BASE } from "../harness";

const csv = "region,amount\nnorth,10\nsouth,20\n";

describe("members: uploading a dataset from the admin", () => {
  it("POST /v1/datasets accepts the session with the CSRF header", async () => {
    const seller = await signedUp({ isSeller: true });
    const res = await seller.fetch(`${BASE}/v1/datasets?name=Sales&format=csv`, { method: "POST", body: csv, headers: { "x-tessera-csrf": "1" } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { data: { id: string; rowCount: number } };
    expect(body.data.rowCount).toBe(2);
    expect((await seller.api.dataSources.list.query()).items.map((s) => s.id)).toEqual([body.data.id]);
  });

  it("refuses the session without the CSRF header, and stores nothing", async () => {
    const seller = await signedUp({ isSeller: true });
    const res = await seller.fetch(`${BASE}/v1/datasets?name=Sales&format=csv`, { method: "POST", body: csv });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    expect((await seller.api.dataSources.list.query()).items).toHaveLength(0);
  });
});
