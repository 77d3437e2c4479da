/**
 * The platform admin's procedures: companies by name with their balances,
 * one company with its next payout, the grants and adjustments made with
 * their reasons, and every seller's payouts by month and status.
 */
import { describe, expect, it } from "vitest";
import { paidSeller, payoutPlatform, sell, utc } from "../payouts/helpers";
import { h, adminKey, client, drained, rest } from "../harness";

const platform = payoutPlatform();
const admin = async () => client(await adminKey());

describe("admin: companies", () => {
  it("finds companies by a part of the name or by id, with each one's balance, buyers or sellers", async () => {
    const ops = await admin();
    const rich = await h.buyer({ credits: 40, name: "Zephyrine Rich Co" });
    const poor = await h.buyer({ name: "Zephyrine Poor Co" });
    const seller = await h.seller({ name: "Zephyrine Sells", verified: false });

    const found = await ops.admin.companies.list.query({ query: "zephyrine" });
    expect(found.items.map((c) => c.name)).toEqual(["Zephyrine Sells", "Zephyrine Poor Co", "Zephyrine Rich Co"]);
    expect(found.items.find((c) => c.id === rich.company.id)).toMatchObject({ isBuyer: true, canSell: false, credits: { availableCredits: 40, balanceUsd: 20 } });
    expect(found.items.find((c) => c.id === poor.company.id)?.credits.availableCredits).toBe(0);

    expect((await ops.admin.companies.list.query({ query: "zephyrine", role: "seller" })).items.map((c) => c.id)).toEqual([seller.company.id]);
    expect((await ops.admin.companies.list.query({ query: rich.company.id })).items.map((c) => c.id)).toEqual([rich.company.id]);
    // LIKE's wildcards are the admin's letters, not patterns.
    expect((await ops.admin.companies.list.query({ query: "zephyrine%" })).items).toEqual([]);
    // Pages of one, each company once.
    const first = await ops.admin.companies.list.query({ query: "zephyrine", limit: 2 });
    const second = await ops.admin.companies.list.query({ query: "zephyrine", limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((c) => c.id)).toEqual(found.items.map((c) => c.id));
    expect(second.nextCursor).toBeNull();
  });

  it("shows a seller's next payout, and a refunded dispute takes its share off it while the buyer gets its credits back", async () => {
    const ops = await admin();
    const world = await h.listedEndpoint({ rows: 10, priceUsd: "0.50", buyerCredits: 10 });
    const res = await rest(`/v1/endpoints/${world.endpoint.id}?page_size=2`, { key: world.key });
    expect(res.status).toBe(200);
    await drained(world.buyer.company.id);

    const before = await ops.admin.companies.get.query({ id: world.seller.company.id });
    expect(before.earnings).toMatchObject({ pendingPayoutUsd: 0.4 });
    expect((await ops.admin.companies.get.query({ id: world.buyer.company.id })).credits.availableCredits).toBe(9);
    expect((await ops.admin.companies.get.query({ id: world.buyer.company.id })).earnings).toBeNull();

    const dispute = await world.buyer.api.disputes.open.mutate({ requestId: res.body.billing.request_id, reason: "Wrong rows." });
    await ops.disputes.resolve.mutate({ id: dispute.id, outcome: "refunded", note: "Confirmed." });
    await drained(world.buyer.company.id);
    expect((await ops.admin.companies.get.query({ id: world.buyer.company.id })).credits.availableCredits).toBe(10);
    expect((await ops.admin.companies.get.query({ id: world.seller.company.id })).earnings).toMatchObject({ pendingPayoutUsd: 0 });
  });
});

describe("admin: grants and adjustments", () => {
  it("lists what admins granted and took away, with reasons and company names, newest first", async () => {
    const ops = await admin();
    const co = await h.buyer({ name: "Entries Co" });
    await ops.admin.grant.mutate({ companyId: co.company.id, credits: 30, reason: "Conference speaker bonus" });
    await ops.admin.grant.mutate({ companyId: co.company.id, credits: 5, reason: "Trial allocation", expiresAt: Date.now() + 86_400_000 });
    await ops.admin.adjust.mutate({ companyId: co.company.id, credits: 10, reason: "Duplicate grant" });
    await drained(co.company.id);

    const entries = await ops.admin.entries.query({ companyId: co.company.id });
    expect(entries.items.map((e) => [e.kind, e.credits, e.reason, e.companyName])).toEqual([
      ["adjustment", -10, "Duplicate grant", "Entries Co"],
      ["allocation", 5, "Trial allocation", "Entries Co"],
      ["grant", 30, "Conference speaker bonus", "Entries Co"],
    ]);
    expect(entries.items[0]).toMatchObject({ balanceAfter: 25 });
    expect(entries.nextCursor).toBeNull();
  });
});

describe("admin: payouts", () => {
  it("lists every seller's payouts of a month with names and statuses, filtered by status", async () => {
    const ops = await admin();
    await platform.setBalance(10_000_00);
    const buyer = await h.buyer({ credits: 1_000_000, name: "Admin Payouts Buyer" });
    const big = await paidSeller(platform, "Big Payout Seller");
    const small = await paidSeller(platform, "Small Payout Seller");
    await sell(buyer.company.id, [
      { seller: big, type: "asset", priceUsd: 50_000_000, at: utc(2033, 5, 3) },
      { seller: small, type: "endpoint", priceUsd: 1_000_000, at: utc(2033, 5, 4) },
    ]);
    await platform.run(utc(2033, 6, 1, 3));

    const month = await ops.admin.payouts.query({ month: "2033-05" });
    const byName = Object.fromEntries(month.items.map((p) => [p.sellerName, p]));
    expect(byName["Big Payout Seller"]).toMatchObject({ period: "2033-05", status: "paid", amountUsd: 40, companyId: big.company.id });
    expect(byName["Small Payout Seller"]).toMatchObject({ period: "2033-05", status: "rolled_over", amountUsd: 0, carriedOutUsd: 0.8 });
    expect((await ops.admin.payouts.query({ month: "2033-05", status: "paid" })).items.map((p) => p.sellerName)).toEqual(["Big Payout Seller"]);
    expect((await ops.admin.payouts.query({ month: "2033-04" })).items).toEqual([]);
  });
});
