import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { listingReputation } from "../../src/ratings/listing";
import { sell } from "../payouts/helpers";
import { h, adminKey, citiesCsv, citiesSpec, client, drained, eventually, expectCode, rest } from "../harness";

const db = createDb(env.DB);
const names = (badges: { name: string }[]) => badges.map((b) => b.name);

/** A seller (able to sell) with `count` listed endpoints in `category`. */
async function shop(name: string, count: number, category = "Finance") {
  const s = await h.seller({ name });
  const source = await h.dataset(s.company.id, citiesCsv(3));
  const products = [];
  for (let i = 0; i < count; i++) {
    products.push(
      await h.endpoint(s, {
        name: `${name} feed ${i + 1}`,
        description: "Rows.",
        category,
        dataSourceId: source.id,
        spec: citiesSpec,
        priceUsd: "0.50",
        sellInMarketplace: true,
      }),
    );
  }
  return { ...s, products, source };
}

/** Bills `buyerId` once for each product (so it may rate them). */
async function used(buyerId: string, s: Awaited<ReturnType<typeof shop>>, times = 1) {
  const sales = s.products.flatMap((p) =>
    Array.from({ length: times }, () => ({ seller: { company: s.company, asset: p, endpoint: p }, type: "endpoint" as const, priceUsd: 500_000, at: Date.now() })),
  );
  await sell(buyerId, sales);
}

describe("ratings", () => {
  it("a buyer that called an endpoint rates it once, updates it, and everyone sees the summary", async () => {
    const world = await h.listedEndpoint({ rows: 5 });
    await expectCode(world.buyer.api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 5 }), "FORBIDDEN");
    expect((await rest(`/v1/endpoints/${world.endpoint.id}`, { key: world.key })).status).toBe(200);
    // Right after the call: the charge may still be on its way to D1; rating catches up.
    const first = await world.buyer.api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 4, review: "Clean data." });
    expect(first).toMatchObject({ stars: 4, review: "Clean data." });
    const updated = await world.buyer.api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 2 });
    expect(updated).toMatchObject({ stars: 2, review: null, createdAt: first.createdAt });

    const other = await h.buyer({ credits: 10, name: "Second Buyer" });
    const key = await other.api.marketplace.endpoints.key.mutate({ id: world.endpoint.id });
    await rest(`/v1/endpoints/${world.endpoint.id}`, { key: key.secret! });
    await other.api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 5, review: "Great." });

    const view = await (await h.buyer({ name: "Browsing Co" })).api.ratings.forProduct.query({ productId: world.endpoint.id });
    expect(view).toMatchObject({ average: 3.5, count: 2, distribution: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 }, mine: null, seller: { id: world.seller.company.id, badges: [{ name: "Contributor" }] } });
    const reviews = await (await h.buyer({ name: "Reading Co" })).api.ratings.reviews.query({ productId: world.endpoint.id });
    expect(reviews.nextCursor).toBeNull();
    expect(reviews.items.map((r) => [r.companyName, r.stars, r.review])).toEqual(
      expect.arrayContaining([
        ["Buyer Co", 2, null],
        ["Second Buyer", 5, "Great."],
      ]),
    );
    const [hit] = (await (await h.buyer({ name: "Searching Co" })).api.marketplace.search.query({ query: "City populations" })).items;
    expect(hit).toMatchObject({ id: world.endpoint.id, rating: { average: 3.5, count: 2 }, sellerBadges: [{ name: "Contributor" }] });
    expect((await world.buyer.api.ratings.forProduct.query({ productId: world.endpoint.id })).mine).toMatchObject({ stars: 2 });
    expect((await world.buyer.api.ratings.mine.query()).items).toMatchObject([{ productId: world.endpoint.id, productName: "City populations", stars: 2 }]);
  });

  it("a buyer that processed an asset may rate it; free endpoints count once called", async () => {
    const s = await h.seller({ name: "Asset Maker" });
    const source = await h.dataset(s.company.id, citiesCsv(4));
    const common = { description: "Stats.", category: "Stats", dataSourceId: source.id, sellInMarketplace: true };
    const asset = await h.asset(s, { ...common, assetKind: "calculation", name: "City count", spec: { aggregate: { fn: "count" } }, priceUsd: "1" });
    const free = await h.endpoint(s, { ...common, name: "Free cities", spec: citiesSpec, priceUsd: "0" });
    const buyer = await h.buyer({ credits: 10, name: "Asset Buyer" });
    await buyer.api.marketplace.process.mutate({ id: asset.id, params: {} });
    expect((await buyer.api.ratings.rate.mutate({ productId: asset.id, stars: 5 })).stars).toBe(5);

    const page = await buyer.api.marketplace.endpoints.fetch.mutate({ id: free.id, params: {} });
    expect(page.page.billing.billed).toBe(false);
    await eventually(() => env.DB.prepare("SELECT 1 FROM request_logs WHERE id = ?").bind(page.page.billing.request_id).first(), "the free call in the log");
    expect((await buyer.api.ratings.rate.mutate({ productId: free.id, stars: 3 })).stars).toBe(3);
  });

  it("refuses bad stars, unknown products, own products, read-only keys and strangers", async () => {
    const world = await h.listedEndpoint({ rows: 5 });
    await rest(`/v1/endpoints/${world.endpoint.id}`, { key: world.key });
    await expectCode(world.buyer.api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 0 }), "BAD_REQUEST");
    await expectCode(world.buyer.api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 6 }), "BAD_REQUEST");
    await expectCode(world.buyer.api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 4.5 }), "BAD_REQUEST");
    await expectCode(world.buyer.api.ratings.rate.mutate({ productId: "ept_missing", stars: 4 }), "NOT_FOUND");
    await expectCode(world.seller.api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 5 }), "FORBIDDEN");
    const readOnly = await world.buyer.api.keys.create.mutate({ name: "viewer", scope: "read" });
    await expectCode(client(readOnly.secret).ratings.rate.mutate({ productId: world.endpoint.id, stars: 4 }), "FORBIDDEN");
    await expectCode((await h.buyer({ name: "Never Bought" })).api.ratings.rate.mutate({ productId: world.endpoint.id, stars: 1 }), "FORBIDDEN");
    await expectCode(client().ratings.forProduct.query({ productId: world.endpoint.id }), "UNAUTHORIZED");
    // An unlisted product of someone else is not visible, nor its ratings.
    await world.seller.api.products.update.mutate({ id: world.endpoint.id, sellInMarketplace: false });
    await expectCode((await h.buyer({ name: "Late Browser" })).api.ratings.forProduct.query({ productId: world.endpoint.id }), "NOT_FOUND");
  });
});

describe("badges", () => {
  it("Contributor: one listing now; gone when delisted or when Stripe is disconnected", async () => {
    const s = await shop("Listing Co", 1);
    const viewer = await h.buyer({ name: "Profile Viewer" });
    expect(await viewer.api.ratings.profile.query({ companyId: s.company.id })).toMatchObject({
      name: "Listing Co",
      isSeller: true,
      listings: 1,
      badges: [{ name: "Contributor", detail: "1 listing in the marketplace" }],
      rating: { average: null, count: 0 },
    });
    await s.api.products.update.mutate({ id: s.products[0]!.id, sellInMarketplace: false });
    expect((await viewer.api.ratings.profile.query({ companyId: s.company.id })).badges).toEqual([]);
    await s.api.products.update.mutate({ id: s.products[0]!.id, sellInMarketplace: true });
    await env.DB.prepare("UPDATE companies SET can_sell = 0 WHERE id = ?").bind(s.company.id).run();
    expect((await viewer.api.ratings.profile.query({ companyId: s.company.id })).badges).toEqual([]);
    await expectCode(viewer.api.ratings.profile.query({ companyId: "co_missing" }), "NOT_FOUND");
  });

  it("Top Seller: from the equivalent of 1,000 credits earned, at each sale's credit value", async () => {
    const s = await shop("Big Earner", 1, "Energy");
    const buyer = await h.buyer({ credits: 1_000_000, name: "Top Seller Buyer" });
    const p = s.products[0]!;
    const product = { company: s.company, asset: p, endpoint: p };
    // A seller share of $499.999999 is 999.999998 credits at $0.50.
    await sell(buyer.company.id, [{ seller: product, type: "endpoint", priceUsd: 624_999_999, at: Date.now() }]);
    const profile = () => buyer.api.ratings.profile.query({ companyId: s.company.id });
    expect(names((await profile()).badges)).toEqual(["Contributor"]);
    // Two more micro-credits' worth.
    await sell(buyer.company.id, [{ seller: product, type: "endpoint", priceUsd: 2, at: Date.now() }]);
    expect((await profile()).badges).toEqual([
      { name: "Contributor", detail: "1 listing in the marketplace" },
      { name: "Top Seller", detail: "Earned the equivalent of 1,000+ credits from sales" },
    ]);
  });

  it("Power Buyer: 50 purchases, refunded ones not counted", async () => {
    const s = await shop("Cheap Feeds", 1, "Weather");
    const buyer = await h.buyer({ credits: 1_000_000, name: "Frequent Buyer" });
    await used(buyer.company.id, s, 49);
    const profile = () => s.api.ratings.profile.query({ companyId: buyer.company.id });
    expect((await profile()).badges).toEqual([]);
    await used(buyer.company.id, s, 1);
    expect((await profile()).badges).toEqual([{ name: "Power Buyer", detail: "50 purchases" }]);

    const [charge] = (await buyer.api.credits.history.query({ kinds: ["charge"], limit: 1 })).items;
    const dispute = await buyer.api.disputes.open.mutate({ transactionId: charge!.id, reason: "Duplicate." });
    await client(await adminKey()).disputes.resolve.mutate({ id: dispute.id, outcome: "refunded" });
    const { wallet } = await import("../../src/wallet/client");
    await drained(buyer.company.id);
    expect((await profile()).badges).toEqual([]);
  });

  it("Domain Expert: 5 listings in one category averaging above 4.0", async () => {
    const expert = await shop("Finance Expert", 5, "Finance");
    const raters = [await h.buyer({ credits: 1_000_000, name: "Rater One" }), await h.buyer({ credits: 1_000_000, name: "Rater Two" })];
    for (const r of raters) await used(r.company.id, expert);
    const profile = () => raters[0]!.api.ratings.profile.query({ companyId: expert.company.id });

    // Five 4-star ratings: exactly 4.0 is not above 4.0.
    for (const p of expert.products) await raters[0]!.api.ratings.rate.mutate({ productId: p.id, stars: 4 });
    expect(names((await profile()).badges)).toEqual(["Contributor"]);

    await raters[1]!.api.ratings.rate.mutate({ productId: expert.products[0]!.id, stars: 5 });
    const withBadge = await profile();
    expect(withBadge.rating).toEqual({ average: 4.17, count: 6 });
    expect(withBadge.badges).toContainEqual({ name: "Domain Expert", category: "Finance", detail: "5 listings in Finance, rated 4.17 on average" });

    // Four listings in the category are not enough.
    await expert.api.products.update.mutate({ id: expert.products[4]!.id, sellInMarketplace: false });
    expect(names((await profile()).badges)).toEqual(["Contributor"]);

    // Five five-star listings spread over two categories do not make an expert either.
    const spread = await shop("Spread Seller", 3, "Geo");
    const source = spread.source;
    for (const name of ["Spread stats 1", "Spread stats 2"]) {
      spread.products.push(
        await h.endpoint(spread, { name, description: "Rows.", category: "Stats", dataSourceId: source.id, spec: citiesSpec, priceUsd: "0.50", sellInMarketplace: true }),
      );
    }
    await used(raters[0]!.company.id, spread);
    for (const p of spread.products) await raters[0]!.api.ratings.rate.mutate({ productId: p.id, stars: 5 });
    const spreadProfile = await raters[0]!.api.ratings.profile.query({ companyId: spread.company.id });
    expect(spreadProfile).toMatchObject({ listings: 5, rating: { average: 5, count: 5 } });
    expect(names(spreadProfile.badges)).toEqual(["Contributor"]);
  });

  it("listingReputation gives the marketplace each listing's rating and its seller's badges", async () => {
    const s = await shop("Rep Seller", 2, "Health");
    const buyer = await h.buyer({ credits: 1_000_000, name: "Rep Buyer" });
    await used(buyer.company.id, s);
    await buyer.api.ratings.rate.mutate({ productId: s.products[0]!.id, stars: 5 });
    const rep = await listingReputation(db, s.products.map((p) => ({ id: p.id, sellerCompanyId: s.company.id })));
    expect(rep.get(s.products[0]!.id)).toEqual({ rating: { average: 5, count: 1 }, sellerBadges: [{ name: "Contributor", detail: "2 listings in the marketplace" }] });
    expect(rep.get(s.products[1]!.id)).toMatchObject({ rating: { average: null, count: 0 } });
  });
});
