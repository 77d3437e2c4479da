import { describe, expect, it } from "vitest";
import { h, adminKey, client, expectCode, rest } from "../harness";

describe("companies.update", () => {
  it("changes what it is sent and keeps the rest", async () => {
    const { api, company } = await h.seller({ name: "Before", verified: false, buyer: true });
    expect(await api.companies.update.mutate({ name: "After", billingEmail: "billing@after.example" })).toMatchObject({
      id: company.id,
      name: "After",
      billingEmail: "billing@after.example",
      isBuyer: true,
      isSeller: true,
    });
    expect(await api.companies.update.mutate({ isBuyer: false })).toMatchObject({ isBuyer: false, isSeller: true });
    expect(await api.companies.update.mutate({ isBuyer: true, isSeller: false })).toMatchObject({ isBuyer: true, isSeller: false });
  });

  it("answers an empty patch with 400 BAD_REQUEST, not a 500", async () => {
    const { key, api } = await h.buyer();
    const res = await rest("/trpc/companies.update", { method: "POST", key, headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(400);
    expect(res.body.error.data.code).toBe("BAD_REQUEST");
    expect(res.body.error.message).toMatch(/Nothing to change/);
    await expectCode(api.companies.update.mutate({ name: undefined }), "BAD_REQUEST");
  });

  it("refuses to make a company neither a buyer nor a seller, in one patch or step by step", async () => {
    const { key, api } = await h.buyer({ name: "Buyer only" });
    const res = await rest("/trpc/companies.update", {
      method: "POST",
      key,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ isBuyer: false, isSeller: false }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.data.code).toBe("BAD_REQUEST");
    expect(res.body.error.message).toBe("A company must be a buyer, a seller, or both.");
    // The company is only a buyer: dropping that alone would leave it nothing.
    await expectCode(api.companies.update.mutate({ isBuyer: false }), "BAD_REQUEST");
    await expectCode(api.companies.update.mutate({ name: "Renamed", isBuyer: false }), "BAD_REQUEST");
    expect(await api.companies.me.query()).toMatchObject({ name: "Buyer only", isBuyer: true, isSeller: false });
  });

  it("checks the roles only when a patch changes them", async () => {
    // The platform company neither buys nor sells; its name still changes.
    const platform = client(await adminKey());
    expect(await platform.companies.update.mutate({ name: "Tessera platform" })).toMatchObject({ isBuyer: false, isSeller: false });
  });
});
