import { describe, expect, it } from "vitest";
import { h, client, expectCode, rest } from "../harness";

describe("one company's key never reaches another company", () => {
  it("hides another company's credits behind 404", async () => {
    const a = await h.buyer({ name: "A Corp" });
    const b = await h.buyer({ name: "B Corp" });
    const { status, body } = await rest(`/companies/${b.company.id}/credits`, { key: a.key });
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: "NOT_FOUND" });
    expect(body.error.requestId).toMatch(/^req_/);
    expect(JSON.stringify(body)).not.toContain("balance");
  });

  it("cannot revoke another company's key", async () => {
    const a = await h.buyer({ name: "A Corp" });
    const b = await h.buyer({ name: "B Corp" });
    const [bKey] = (await b.api.keys.list.query()).items;
    await expectCode(a.api.keys.revoke.mutate({ id: bKey!.id }), "NOT_FOUND");
    expect(await b.api.companies.me.query()).toMatchObject({ id: b.company.id });
  });

  it("keeps admin procedures for admin keys", async () => {
    const a = await h.buyer({ name: "A Corp" });
    const b = await h.buyer({ name: "B Corp" });
    await expectCode(a.api.admin.grant.mutate({ companyId: a.company.id, credits: 10, reason: "self-service" }), "FORBIDDEN");
    await expectCode(a.api.admin.companies.get.query({ id: b.company.id }), "FORBIDDEN");
    await expectCode(client().admin.bootstrap.mutate({ token: "guess" }), "FORBIDDEN");
    expect((await a.api.credits.balance.query()).balanceCredits).toBe(0);
  });

  it("answers no key on REST with 401 and a stable code", async () => {
    const a = await h.buyer();
    const { status, body } = await rest(`/companies/${a.company.id}/credits`);
    expect(status).toBe(401);
    expect(body.error.code).toBe("UNAUTHORIZED");
  });
});
