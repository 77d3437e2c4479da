import { describe, expect, it } from "vitest";
import { h, adminKey, client, expectCode, rest } from "../harness";

describe("admin grants and credit reads", () => {
  it("grants credits with a reason and shows them in balance, REST and history", async () => {
    const buyer = await h.buyer({ name: "Buyer" });
    const admin = client(await adminKey());
    const entry = await admin.admin.grant.mutate({ companyId: buyer.company.id, credits: "240", reason: "launch promo" });
    expect(entry).toMatchObject({ kind: "grant", credits: 240, balanceAfter: 240, reason: "launch promo" });

    expect(await buyer.api.credits.balance.query()).toMatchObject({
      balanceCredits: 240,
      availableCredits: 240,
      heldCredits: 0,
      balanceUsd: 120,
      lowBalanceWarning: false,
    });

    const { status, body } = await rest(`/companies/${buyer.company.id}/credits`, { key: buyer.key });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        balance_credits: 240,
        balance_usd: 120,
        held_credits: 0,
        available_credits: 240,
        total_spent_credits_30d: 0,
        asset_executions_30d: 0,
        endpoint_requests_30d: 0,
        low_balance_warning: false,
        low_balance_threshold_credits: expect.any(Number),
      },
    });

    const history = await buyer.api.credits.history.query({});
    expect(history.items.map((e) => [e.kind, e.credits, e.reason])).toEqual([["grant", 240, "launch promo"]]);
    expect(history.nextCursor).toBeNull();
  });

  it("names each charge's product and seller in history, not only their ids", async () => {
    const world = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 10 });
    expect((await rest(`/v1/endpoints/${world.endpoint.id}?page_size=2`, { key: world.key })).status).toBe(200);
    const history = await world.buyer.api.credits.history.query({});
    const charge = history.items.find((e) => e.kind === "charge");
    expect(charge).toMatchObject({
      productId: world.endpoint.id,
      productName: world.endpoint.name,
      sellerCompanyId: world.seller.company.id,
      sellerName: world.seller.company.name,
    });
    expect(history.items.find((e) => e.kind === "grant")).toMatchObject({ productName: null, sellerName: null });
  });

  it("retries a grant with the same id without granting twice", async () => {
    const buyer = await h.buyer();
    const admin = client(await adminKey());
    const grant = { companyId: buyer.company.id, credits: 5, reason: "retry me", id: "grant-42" };
    const first = await admin.admin.grant.mutate(grant);
    expect(await admin.admin.grant.mutate(grant)).toEqual(first);
    await expectCode(admin.admin.grant.mutate({ ...grant, credits: 6 }), "CONFLICT");
    expect((await buyer.api.credits.balance.query()).balanceCredits).toBe(5);
  });

  it("adjusts credits down with a reason, never below zero", async () => {
    const buyer = await h.buyer({ credits: 10 });
    const admin = client(await adminKey());
    await admin.admin.adjust.mutate({ companyId: buyer.company.id, credits: 4, reason: "duplicate grant" });
    expect((await buyer.api.credits.balance.query()).balanceCredits).toBe(6);
    await expectCode(admin.admin.adjust.mutate({ companyId: buyer.company.id, credits: 7, reason: "too much" }), "INSUFFICIENT_CREDITS");
    expect((await buyer.api.credits.balance.query()).balanceCredits).toBe(6);
  });

  it("refuses bad amounts with INVALID_AMOUNT and moves nothing", async () => {
    const buyer = await h.buyer();
    const admin = client(await adminKey());
    for (const credits of [-5, 0, "0", "1.0000001", "abc", "1e3", 1e12, "", Number.NaN, "12,5"]) {
      await expectCode(
        admin.admin.grant.mutate({ companyId: buyer.company.id, credits: credits as number, reason: "bad input" }),
        "INVALID_AMOUNT",
      );
    }
    await expectCode(admin.admin.grant.mutate({ companyId: "co_nope", credits: 1, reason: "nobody" }), "NOT_FOUND");
    await expectCode(admin.admin.grant.mutate({ companyId: buyer.company.id, credits: 1, reason: "" }), "BAD_REQUEST");
    await expectCode(buyer.api.credits.history.query({ kinds: ["bonus" as "grant"] }), "BAD_REQUEST");
    expect((await buyer.api.credits.balance.query()).balanceCredits).toBe(0);
    expect((await buyer.api.credits.history.query({})).items).toEqual([]);
  });

  it("grants with an expiry as allocations, and pages and filters history", async () => {
    const buyer = await h.buyer();
    const admin = client(await adminKey());
    const expiresAt = Date.now() + 86_400_000;
    for (let i = 1; i <= 5; i++) {
      await admin.admin.grant.mutate({ companyId: buyer.company.id, credits: i, reason: `grant ${i}` });
    }
    await admin.admin.grant.mutate({ companyId: buyer.company.id, credits: 100, reason: "monthly", expiresAt });

    const allocations = await buyer.api.credits.history.query({ kinds: ["allocation"] });
    expect(allocations.items.map((e) => e.credits)).toEqual([100]);

    const first = await buyer.api.credits.history.query({ limit: 4 });
    expect(first.items.map((e) => e.credits)).toEqual([100, 5, 4, 3]);
    const second = await buyer.api.credits.history.query({ limit: 4, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.credits)).toEqual([2, 1]);
    expect(second.nextCursor).toBeNull();

    const future = await buyer.api.credits.history.query({ from: Date.now() + 60_000 });
    expect(future.items).toEqual([]);
  });

  it("warns when available credits fall below the company's threshold", async () => {
    const buyer = await h.buyer({ credits: 30 });
    expect((await buyer.api.credits.balance.query()).lowBalanceWarning).toBe(false);
    const after = await buyer.api.credits.setLowBalanceThreshold.mutate({ credits: 50 });
    expect(after).toMatchObject({ lowBalanceThreshold: 50, lowBalanceWarning: true });
  });
});
