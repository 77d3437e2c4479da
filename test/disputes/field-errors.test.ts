import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorCode } from "../../client/src";
import { h, drained, rest } from "../harness";

/** The code and the fields a refusal names in `details.issues`, as the admin's forms read them (client/src/app/components/forms.tsx). */
async function refusal(call: Promise<unknown>): Promise<{ code: string | undefined; issues: { path: string; message: string }[] | undefined }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return { code: errorCode(error), issues: ((error as TRPCClientError<never>).data as { details?: { issues?: { path: string; message: string }[] } } | undefined)?.details?.issues };
}

describe("disputes: a refusal about the charge names the id's field", () => {
  it("an unknown transaction id is NOT_FOUND on `transactionId`, an unknown request id on `requestId`", async () => {
    const { api } = await h.buyer();
    expect(await refusal(api.disputes.open.mutate({ transactionId: "txn_missing", reason: "Never bought it." }))).toEqual({
      code: "NOT_FOUND",
      issues: [{ path: "transactionId", message: "No billed transaction txn_missing of your company." }],
    });
    expect(await refusal(api.disputes.open.mutate({ requestId: "req_missing", reason: "Never called it." }))).toEqual({
      code: "NOT_FOUND",
      issues: [{ path: "requestId", message: "No billed transaction req_missing of your company." }],
    });
  });

  it("a charge disputed already is CONFLICT on the field that named it", async () => {
    const world = await h.listedEndpoint({ rows: 10, priceUsd: "0.50", buyerCredits: 10 });
    const res = await rest(`/v1/endpoints/${world.endpoint.id}?page_size=3`, { key: world.key });
    expect(res.status).toBe(200);
    await drained(world.buyer.company.id);
    const opened = await world.buyer.api.disputes.open.mutate({ requestId: res.body.billing.request_id as string, reason: "Stale." });
    const { code, issues } = await refusal(world.buyer.api.disputes.open.mutate({ transactionId: opened.transactionId, reason: "Again." }));
    expect(code).toBe("CONFLICT");
    expect(issues?.map((i) => i.path)).toEqual(["transactionId"]);
  });
});
