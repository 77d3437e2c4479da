import { describe, expect, it } from "vitest";
import { h, fieldRefusal } from "../harness";
import { refusedText } from "../ssrf";


describe("dataSources.createOrigin: a refusal about one field names it", () => {
  it("a URL the SSRF guard refuses is BAD_REQUEST on `url`, and so is one with credentials", async () => {
    const s = await h.seller({ name: "Field Seller", verified: false });
    expect(await fieldRefusal(s.api.dataSources.createOrigin.mutate({ name: "Internal", url: "https://10.0.0.1/rows" }))).toEqual({
      code: "BAD_REQUEST",
      issues: [{ path: "url", message: refusedText("origin URL") }],
    });
    expect(await fieldRefusal(s.api.dataSources.createOrigin.mutate({ name: "Creds", url: "https://user:pw@data.example.com/rows" }))).toEqual({
      code: "BAD_REQUEST",
      issues: [{ path: "url", message: "The origin URL must not contain credentials." }],
    });
  });

  it("a timeout out of range is BAD_REQUEST on `timeoutMs`", async () => {
    const s = await h.seller({ name: "Field Seller", verified: false });
    const { code, issues } = await fieldRefusal(s.api.dataSources.createOrigin.mutate({ name: "Slow", url: "https://data.example.com/rows", timeoutMs: 60_000 }));
    expect(code).toBe("BAD_REQUEST");
    expect(issues?.map((i) => i.path)).toEqual(["timeoutMs"]);
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });
});
