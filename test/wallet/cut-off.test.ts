import { describe, expect, it } from "vitest";
import { credits, expectBooksBalanced, freshWallet, fund, rows, sale } from "./helpers";

const call = (requestId: string, keyId: string, productId: string) => ({
  requestId,
  keyId,
  productId,
  productType: "endpoint" as const,
  sellerCompanyId: "co_seller",
  channel: "mcp" as const,
  method: "POST",
  startedAt: Date.now(),
});
const page = (requestId: string, keyId: string, productId: string) => ({
  call: call(requestId, keyId, productId),
  result: { ok: true as const, rows: 20 },
  durationMs: 3,
  due: { credits: credits(1), sale: sale({ productId }) },
});

describe("a seller's cut-off, in the buyer's wallet", () => {
  it("refuses the company's calls on that product with any key, unbilled and logged; its other products and keys go on", async () => {
    const t = freshWallet();
    await fund(t, credits(10));
    expect(await t.w.recordCall(page("req_1", "key_company", "ept_cut"))).toMatchObject({ status: 200, billed: true });

    await t.w.cutOff({ productId: "ept_cut", keyIds: ["ekey_cut"] });
    // The endpoint key itself is revoked; an agent's company key is refused on the product too.
    expect(await t.w.recordCall(page("req_2", "ekey_cut", "ept_cut"))).toMatchObject({ status: 401, code: "KEY_REVOKED", billed: false });
    expect(await t.w.recordCall(page("req_3", "key_company", "ept_cut"))).toMatchObject({ status: 403, code: "FORBIDDEN", billed: false, credits: 0 });
    expect(await t.w.openCall({ call: { ...call("req_4", "key_company", "ept_cut"), productType: "asset" }, hold: credits(1) })).toMatchObject({
      kind: "refused",
      outcome: { status: 403, code: "FORBIDDEN", billed: false },
    });
    // Another product, and the same company key, still work.
    expect(await t.w.recordCall(page("req_5", "key_company", "ept_other"))).toMatchObject({ status: 200, billed: true });

    // It is stored, so a restarted wallet loads it back (Keys reads `cut_off` when the object starts).
    expect(await rows(t, "SELECT product_id FROM cut_off")).toEqual([{ product_id: "ept_cut" }]);
    expect(await t.w.recordCall(page("req_6", "key_company", "ept_cut"))).toMatchObject({ status: 403, code: "FORBIDDEN", billed: false });
    expect((await t.w.balance()).balance).toBe(credits(8));
    await expectBooksBalanced(t);
    expect(await rows(t, "SELECT request_id, status, billed FROM calls ORDER BY seq")).toEqual([
      { request_id: "req_1", status: 200, billed: 1 },
      { request_id: "req_2", status: 401, billed: 0 },
      { request_id: "req_3", status: 403, billed: 0 },
      { request_id: "req_4", status: 403, billed: 0 },
      { request_id: "req_5", status: 200, billed: 1 },
      { request_id: "req_6", status: 403, billed: 0 },
    ]);
  });

  it("refuses bad input with BAD_REQUEST and changes nothing", async () => {
    const t = freshWallet();
    await expect(t.w.cutOff({ productId: "", keyIds: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(t.w.cutOff({ productId: "ept_x", keyIds: "k" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
