import { describe, expect, it } from "vitest";
import { h, client, expectCode, rest } from "../harness";

describe("sign-up and company keys", () => {
  it("creates a company with a company admin key shown once, owned by no one", async () => {
    const { company, key, api } = await h.seller({ name: "Northwind", verified: false, buyer: true });
    expect(company).toMatchObject({ name: "Northwind", isBuyer: true, isSeller: true, canSell: false });
    expect(key).toMatch(/^tsk_[0-9A-Za-z]{40}$/);
    expect(await api.companies.me.query()).toMatchObject({ id: company.id });

    const keys = (await api.keys.list.query()).items;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ prefix: key.slice(0, 12), scope: "company_admin", memberId: null, createdBy: null, revokedAt: null });
    expect(JSON.stringify(keys)).not.toContain(key);
  });

  it("creates read-only keys that can read but not write", async () => {
    const { api } = await h.buyer();
    const readKey = await api.keys.create.mutate({ name: "dashboards", scope: "read" });
    const reader = client(readKey.secret);
    expect(await reader.credits.balance.query()).toMatchObject({ balanceCredits: 0 });
    await expectCode(reader.keys.create.mutate({ name: "escalate", scope: "full" }), "FORBIDDEN");
    await expectCode(reader.companies.update.mutate({ name: "Renamed" }), "FORBIDDEN");
  });

  it("stops a revoked key on the next request", async () => {
    const { api } = await h.buyer();
    const second = await api.keys.create.mutate({ name: "ci" });
    const ci = client(second.secret);
    await ci.companies.me.query();
    await api.keys.revoke.mutate({ id: second.id });
    await expectCode(ci.companies.me.query(), "KEY_REVOKED");
    const { status, body } = await rest("/companies/x/credits", { key: second.secret });
    expect(status).toBe(401);
    expect(body.error.code).toBe("KEY_REVOKED");
    // Revoking twice changes nothing.
    await api.keys.revoke.mutate({ id: second.id });
  });

  it("refuses a missing or made-up key", async () => {
    await expectCode(client().companies.me.query(), "UNAUTHORIZED");
    await expectCode(client("tsk_notakey").companies.me.query(), "UNAUTHORIZED");
  });

  it("rejects bad sign-up input with a clear error", async () => {
    await expectCode(client().companies.signUp.mutate({ name: "x" }), "BAD_REQUEST");
    await expectCode(client().companies.signUp.mutate({ name: "Nobody", isBuyer: false, isSeller: false }), "BAD_REQUEST");
    await expectCode(client().companies.signUp.mutate({ name: "Mail", billingEmail: "not-an-email" }), "BAD_REQUEST");
  });
});
