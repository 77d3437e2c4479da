import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorCode } from "../../client/src";
import { h } from "../harness";
import { refusedText } from "../ssrf";

/** The code and the fields a refusal names in `details.issues`, as the admin's forms read them (client/src/app/components/forms.tsx). */
async function refusal(call: Promise<unknown>): Promise<{ code: string | undefined; issues: { path: string; message: string }[] | undefined }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return { code: errorCode(error), issues: ((error as TRPCClientError<never>).data as { details?: { issues?: { path: string; message: string }[] } } | undefined)?.details?.issues };
}

describe("dataSources.createOrigin: a refusal about one field names it", () => {
  it("a URL the SSRF guard refuses is BAD_REQUEST on `url`, and so is one with credentials", async () => {
    const s = await h.seller({ name: "Field Seller", verified: false });
    expect(await refusal(s.api.dataSources.createOrigin.mutate({ name: "Internal", url: "https://10.0.0.1/rows" }))).toEqual({
      code: "BAD_REQUEST",
      issues: [{ path: "url", message: refusedText("origin URL") }],
    });
    expect(await refusal(s.api.dataSources.createOrigin.mutate({ name: "Creds", url: "https://user:pw@data.example.com/rows" }))).toEqual({
      code: "BAD_REQUEST",
      issues: [{ path: "url", message: "The origin URL must not contain credentials." }],
    });
  });

  it("a timeout out of range is BAD_REQUEST on `timeoutMs`", async () => {
    const s = await h.seller({ name: "Field Seller", verified: false });
    const { code, issues } = await refusal(s.api.dataSources.createOrigin.mutate({ name: "Slow", url: "https://data.example.com/rows", timeoutMs: 60_000 }));
    expect(code).toBe("BAD_REQUEST");
    expect(issues?.map((i) => i.path)).toEqual(["timeoutMs"]);
    expect((await s.api.dataSources.list.query()).items).toEqual([]);
  });
});
