import { describe, expect, it } from "vitest";
import { h, drained, rest, fieldRefusal } from "../harness";


describe("disputes: a refusal about the charge names the id's field", () => {
  it("an unknown transaction id is NOT_FOUND on `transactionId`, an unknown request id on `requestId`", async () => {
    const { api } = await h.buyer();
    expect(await fieldRefusal(api.disputes.open.mutate({ transactionId: "txn_missing", reason: "Never bought it." }))).toEqual({
      code: "NOT_FOUND",
      issues: [{ path: "transactionId", message: "No billed transaction txn_missing of your company." }],
    });
    expect(await fieldRefusal(api.disputes.open.mutate({ requestId: "req_missing", reason: "Never called it." }))).toEqual({
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
    const { code, issues } = await fieldRefusal(world.buyer.api.disputes.open.mutate({ transactionId: opened.transactionId, reason: "Again." }));
    expect(code).toBe("CONFLICT");
    expect(issues?.map((i) => i.path)).toEqual(["transactionId"]);
  });
});
