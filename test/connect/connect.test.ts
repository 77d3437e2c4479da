import { describe, expect, it } from "vitest";
import { h, citiesCsv, citiesSpec, client, expectCode, rest, type Company, workerStripe } from "../harness";

const endpointDraft = (dataSourceId: string, name: string) => ({
  name,
  description: "Population of every city, by region.",
  category: "Demographics",
  dataSourceId,
  spec: citiesSpec,
  priceUsd: "0.50",
});

async function listedProducts(s: Company, names: string[]) {
  const source = await h.dataset(s.company.id, citiesCsv(20), "Cities", ["region"]);
  const out = [];
  for (const name of names) out.push(await h.endpoint(s, { ...endpointDraft(source.id, name), sellInMarketplace: true }));
  return out;
}

/** Which of `among` the marketplace search shows (other tests' products match the words too). */
const searchIds = async (api: ReturnType<typeof client>, query: string, among?: string[]) =>
  (await api.marketplace.search.query({ query, limit: 100 })).items.map((h) => h.id).filter((id) => !among || among.includes(id)).sort();

describe("Connect state machine", () => {
  it("starts with no account, then incomplete after starting onboarding: listing is refused", async () => {
    const s = await h.seller({ name: "Quill Data", verified: false, buyer: true });
    expect(await s.api.connect.status.query()).toMatchObject({ status: "none", accountId: null, canSell: false });

    const started = await s.api.connect.start.mutate();
    expect(started).toMatchObject({ status: "incomplete", canSell: false, detailsSubmitted: false, payoutsEnabled: false });
    expect(started.accountId).toMatch(/^acct_/);
    expect(started.onboardingUrl).toMatch(/\/connect\/onboarding\//);
    expect(started.requirementsDue).toContain("external_account");
    expect((await workerStripe().stripe.accounts.retrieve(started.accountId!)).metadata).toMatchObject({ company: s.company.id });

    // Starting again reuses the account and gives a fresh link.
    const again = await s.api.connect.start.mutate();
    expect(again.accountId).toBe(started.accountId);
    expect(again.onboardingUrl).not.toBe(started.onboardingUrl);

    const source = await h.dataset(s.company.id, citiesCsv(3));
    await expectCode(h.endpoint(s, { ...endpointDraft(source.id, "Quill cities"), sellInMarketplace: true }), "FORBIDDEN");
    const unlisted = await h.endpoint(s, endpointDraft(source.id, "Quill cities"));
    await expectCode(s.api.products.update.mutate({ id: unlisted.id, sellInMarketplace: true }), "FORBIDDEN");
  });

  it("is verified once Stripe reports details submitted and payouts enabled (re-checked on demand)", async () => {
    const s = await h.seller({ name: "Harbor Stats", connect: true, verified: false, buyer: true });
    expect((await s.api.connect.refresh.mutate()).status).toBe("incomplete");
    await workerStripe().control(`/accounts/${s.accountId}/onboarding`);
    const verified = await s.api.connect.refresh.mutate();
    expect(verified).toMatchObject({ status: "verified", canSell: true, detailsSubmitted: true, payoutsEnabled: true, requirementsDue: [] });
    expect((await s.api.companies.me.query()).canSell).toBe(true);
    // A verified account needs no onboarding link.
    expect((await s.api.connect.start.mutate()).onboardingUrl).toBeNull();

    const [product] = await listedProducts(s, ["Harbor cities"]);
    expect(product!.listed).toBe(true);
    const buyer = await h.buyer({ name: "Harbor Buyer" });
    expect(await searchIds(buyer.api, "Harbor cities")).toContain(product!.id);
  });

  it("falls back to incomplete when Stripe restricts payouts, which delists, and back when lifted", async () => {
    const s = await h.seller({ name: "Ridge Analytics", connect: true, buyer: true });
    const [product] = await listedProducts(s, ["Ridge cities"]);
    const buyer = await h.buyer({ name: "Ridge Buyer" });
    await workerStripe().control(`/accounts/${s.accountId}/payouts`, { enabled: "false" });
    expect(await s.api.connect.refresh.mutate()).toMatchObject({ status: "incomplete", canSell: false, payoutsEnabled: false });
    expect(await searchIds(buyer.api, "Ridge cities")).not.toContain(product!.id);

    await workerStripe().control(`/accounts/${s.accountId}/payouts`, { enabled: "true" });
    expect(await s.api.connect.refresh.mutate()).toMatchObject({ status: "verified", canSell: true });
    expect(await searchIds(buyer.api, "Ridge cities")).toContain(product!.id);
  });

  it("disconnect pulls every product at once, keeps sales history, and deletes the Stripe account", async () => {
    const s = await h.seller({ name: "Delta Insights", connect: true, buyer: true });
    const [a, b] = await listedProducts(s, ["Delta cities one", "Delta cities two"]);
    const buyer = await h.buyer({ credits: 100, name: "Delta Buyer" });
    const key = await buyer.api.marketplace.endpoints.key.mutate({ id: a!.id });
    expect((await rest(`/v1/endpoints/${a!.id}?page_size=1`, { key: key.secret! })).status).toBe(200);
    expect(await searchIds(buyer.api, "Delta cities", [a!.id, b!.id])).toEqual([a!.id, b!.id].sort());

    const result = await s.api.connect.disconnect.mutate();
    expect(result).toMatchObject({ status: "disconnected", canSell: false, deletedAtStripe: true });
    expect(result.disconnectedAt).toBeTypeOf("number");
    await expect(workerStripe().stripe.accounts.retrieve(s.accountId)).rejects.toMatchObject({ statusCode: 404 });

    expect(await searchIds(buyer.api, "Delta cities", [a!.id, b!.id])).toEqual([]);
    await expectCode(buyer.api.marketplace.get.query({ id: b!.id }), "NOT_FOUND");
    const refused = await rest(`/v1/endpoints/${a!.id}?page_size=1`, { key: key.secret! });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe("NOT_FOUND");
    // The products themselves and the sales history stay.
    expect((await s.api.products.list.query()).items.map((p) => ({ id: p.id, sell: p.sellInMarketplace, listed: p.listed }))).toEqual(
      expect.arrayContaining([{ id: a!.id, sell: true, listed: false }, { id: b!.id, sell: true, listed: false }]),
    );
    const earnings = await rest(`/companies/${s.company.id}/earnings`, { key: s.key });
    expect(earnings.body.data.endpoint_requests_30d).toBe(1);
    // Listing again is refused until Stripe is connected and verified again.
    await expectCode(s.api.products.update.mutate({ id: a!.id, sellInMarketplace: true }), "FORBIDDEN");
    // Disconnecting twice changes nothing.
    expect((await s.api.connect.disconnect.mutate()).status).toBe("disconnected");

    // Reconnecting is a new account; products come back once it is verified.
    const restarted = await s.api.connect.start.mutate();
    expect(restarted.accountId).not.toBe(s.accountId);
    expect(restarted.status).toBe("incomplete");
    await workerStripe().control(`/accounts/${restarted.accountId}/onboarding`);
    expect((await s.api.connect.refresh.mutate()).status).toBe("verified");
    expect(await searchIds(buyer.api, "Delta cities", [a!.id, b!.id])).toEqual([a!.id, b!.id].sort());
  });

  it("turning sell_in_marketplace off delists that product only; the seller stays able to sell", async () => {
    const s = await h.seller({ name: "Echo Figures", connect: true, buyer: true });
    const [a, b] = await listedProducts(s, ["Echo cities one", "Echo cities two"]);
    const buyer = await h.buyer({ name: "Echo Buyer" });
    const off = await s.api.products.update.mutate({ id: a!.id, sellInMarketplace: false });
    expect(off.listed).toBe(false);
    expect(await searchIds(buyer.api, "Echo cities", [a!.id, b!.id])).toEqual([b!.id]);
    expect(await s.api.connect.status.query()).toMatchObject({ status: "verified", canSell: true });
  });
});

describe("Connect errors and security", () => {
  it("refuses a buyer-only company, a read-only key, and a re-check without an account", async () => {
    const buyer = await h.buyer({ name: "Just Buying" });
    await expectCode(buyer.api.connect.start.mutate(), "FORBIDDEN");
    await expectCode(buyer.api.connect.refresh.mutate(), "NOT_FOUND");
    await expectCode(buyer.api.connect.disconnect.mutate(), "NOT_FOUND");

    const s = await h.seller({ name: "Read Only Seller", verified: false, buyer: true });
    const readKey = await s.api.keys.create.mutate({ name: "viewer", scope: "read" });
    const reader = client(readKey.secret);
    await expectCode(reader.connect.start.mutate(), "FORBIDDEN");
    await expectCode(reader.connect.disconnect.mutate(), "FORBIDDEN");
    expect((await reader.connect.status.query()).status).toBe("none");
    await expectCode(client().connect.status.query(), "UNAUTHORIZED");
  });

  it("a seller's disconnect or re-check never touches another seller", async () => {
    const one = await h.seller({ name: "First Seller", connect: true, buyer: true });
    const two = await h.seller({ name: "Second Seller", connect: true, buyer: true });
    await one.api.connect.disconnect.mutate();
    expect(await two.api.connect.status.query()).toMatchObject({ status: "verified", canSell: true, accountId: two.accountId });
  });

  it("rejects onboarding return URLs that are not http(s)", async () => {
    const s = await h.seller({ name: "Url Seller", verified: false, buyer: true });
    await expectCode(s.api.connect.start.mutate({ returnUrl: "javascript:alert(1)" }), "BAD_REQUEST");
  });
});
