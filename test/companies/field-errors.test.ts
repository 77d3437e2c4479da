import { describe, expect, it } from "vitest";
import { h, client, fieldRefusal } from "../harness";


describe("keys: a refusal about one field names it", () => {
  it("a key with more power than its maker is FORBIDDEN on `scope`", async () => {
    const { api } = await h.buyer();
    const full = await api.keys.create.mutate({ name: "worker", scope: "full" });
    expect(await fieldRefusal(client(full.secret).keys.create.mutate({ name: "escalate", scope: "company_admin" }))).toEqual({
      code: "FORBIDDEN",
      issues: [{ path: "scope", message: "A key can't have more power than whoever makes it: only a company admin makes company_admin keys." }],
    });
  });

  it("a cap that isn't an amount is INVALID_AMOUNT on its own field", async () => {
    const { api } = await h.buyer();
    const key = await api.keys.create.mutate({ name: "capped" });
    const { code, issues } = await fieldRefusal(api.keys.setCaps.mutate({ keyId: key.id, perDayCredits: 5, perMonthCredits: "0" }));
    expect(code).toBe("INVALID_AMOUNT");
    expect(issues?.map((i) => i.path)).toEqual(["perMonthCredits"]);
  });
});
