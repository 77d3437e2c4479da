import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { services } from "../../src/services";
import { disconnect, refreshAccount, startOnboarding } from "../../src/connect/service";
import { getCompany } from "../../src/companies/service";
import { MINIMUM_PAYOUT_USD } from "../../src/payouts/money";
import { db, ledgerShares, paidSeller, payoutPlatform, payoutRows, sell, utc, type SaleSpec, type Seller } from "./helpers";
import { h } from "../harness";

const platform = payoutPlatform();

/** Prices (micro-dollars) whose 80% shares sum to exactly `share`, as one sale per price. */
const priceForShare = (share: number) => Math.ceil((share * 10_000) / 8_000);

describe("the monthly payout run", () => {
  it("pays $25.00, rolls $24.99 over, skips frozen and unverified sellers, exact to the micro-dollar", async () => {
    await platform.setBalance(1_000_000_00);
    const buyer = await h.buyer({ credits: 1_000_000, name: "March Buyer" });
    const under = await paidSeller(platform, "Under Seller");
    const exact = await paidSeller(platform, "Exact Seller");
    const busy = await paidSeller(platform, "Busy Seller");
    const frozen = await paidSeller(platform, "Frozen Seller");
    const unverified = await paidSeller(platform, "Unverified Seller", { verify: false });

    // A month of sales: the busy seller sells every day at odd prices (sub-cent shares), both types.
    const prices = fc.sample(fc.integer({ min: 100, max: 3_000_000 }), { numRuns: 124, seed: 7 });
    const sales: SaleSpec[] = prices.map((priceUsd, i) => ({
      seller: busy,
      type: i % 3 === 0 ? "asset" : "endpoint",
      priceUsd,
      at: utc(2030, 3, 1 + (i % 31), i % 24, (i * 7) % 60),
    }));
    sales.push(
      { seller: under, type: "asset", priceUsd: priceForShare(20_000_000), at: utc(2030, 3, 2) },
      { seller: under, type: "endpoint", priceUsd: priceForShare(4_990_000), at: utc(2030, 3, 31, 23, 59, 59, 999) },
      { seller: exact, type: "endpoint", priceUsd: priceForShare(25_000_000), at: utc(2030, 3, 1) },
      { seller: frozen, type: "asset", priceUsd: priceForShare(40_000_000), at: utc(2030, 3, 15) },
      { seller: unverified, type: "asset", priceUsd: priceForShare(30_000_000), at: utc(2030, 3, 15) },
      // The first instant of April belongs to April.
      { seller: exact, type: "asset", priceUsd: priceForShare(1_000_000), at: utc(2030, 4, 1) },
    );
    await sell(buyer.company.id, sales);
    await disconnect({ ...services(env, db), stripe: platform.local.stripe }, frozen.company.id);

    const march = await platform.run(utc(2030, 4, 1, 3));
    expect(march.period).toBe("2030-03");
    expect(march.errors).toEqual([]);
    expect(march.skipped).toEqual(expect.arrayContaining([frozen.company.id, unverified.company.id]));
    expect(march.rolledOver).toContain(`po_2030-03_${under.company.id}`);
    expect(march.paid).toEqual(expect.arrayContaining([`po_2030-03_${exact.company.id}`, `po_2030-03_${busy.company.id}`]));

    const [underPayout] = await payoutRows(under.company.id);
    expect(underPayout).toMatchObject({ status: "rolled_over", earnings_usd: 24_990_000, carried_in_usd: 0, amount_usd: 0, carried_out_usd: 24_990_000, transfer_id: null });

    const [exactPayout] = await payoutRows(exact.company.id);
    expect(exactPayout).toMatchObject({ status: "paid", earnings_usd: 25_000_000, amount_usd: 25_000_000, carried_out_usd: 0, stripe_account_id: exact.accountId });
    const [exactTransfer] = await platform.transfersTo(exact.accountId);
    expect(exactTransfer).toMatchObject({ id: exactPayout!.transfer_id, amount: 2500, currency: "usd", transfer_group: exactPayout!.id });

    // The busy seller: whole cents transferred, the sub-cent remainder carried, nothing lost.
    const busyShares = await ledgerShares(busy.company.id, utc(2030, 4, 1));
    const [busyPayout] = await payoutRows(busy.company.id);
    expect(busyShares % 10_000).not.toBe(0);
    expect(busyPayout).toMatchObject({ status: "paid", earnings_usd: busyShares, amount_usd: busyShares - (busyShares % 10_000), carried_out_usd: busyShares % 10_000 });
    expect((await platform.transfersTo(busy.accountId)).map((t) => t.amount)).toEqual([Math.floor(busyShares / 10_000)]);
    // Line items: per product, summing to the month's earnings, by type as the ledger has them.
    const { results: lines } = await env.DB.prepare("SELECT * FROM payout_lines WHERE payout_id = ? ORDER BY product_type").bind(busyPayout!.id).all<any>();
    expect(lines.map((l) => [l.product_type, l.product_name, l.sales])).toEqual([
      ["asset", "Busy Seller count", 42],
      ["endpoint", "Busy Seller feed", 82],
    ]);
    expect(lines.reduce((sum, l) => sum + l.earnings_usd, 0)).toBe(busyShares);

    // Frozen and unverified sellers: no payout, no transfer, balance kept.
    expect(await payoutRows(frozen.company.id)).toEqual([]);
    expect(await payoutRows(unverified.company.id)).toEqual([]);
    expect(await platform.transfersTo(frozen.accountId)).toEqual([]);

    // Running again pays nobody twice.
    const again = await platform.run(utc(2030, 4, 1, 3, 5));
    expect(again).toMatchObject({ paid: [], rolledOver: [], failed: [], pending: [], errors: [] });
    expect(await platform.transfersTo(exact.accountId)).toHaveLength(1);
    expect(await platform.transfersTo(busy.accountId)).toHaveLength(1);

    // April: one more cent for the under seller makes $25.00 with the rollover; the frozen seller
    // reconnects and is paid everything it kept; the busy seller's remainder carries in.
    await sell(buyer.company.id, [{ seller: under, type: "endpoint", priceUsd: priceForShare(10_000), at: utc(2030, 4, 10) }]);
    const connect = { ...services(env, db), stripe: platform.local.stripe };
    const { account: renewed } = await startOnboarding(connect, await getCompany(db, frozen.company.id), { returnUrl: "https://t.test/r", refreshUrl: "https://t.test/f" });
    await platform.local.control(`/accounts/${renewed.id}/onboarding`);
    await refreshAccount(connect, frozen.company.id);

    const april = await platform.run(utc(2030, 5, 1, 3));
    expect(april.errors).toEqual([]);
    const underApril = (await payoutRows(under.company.id))[1];
    expect(underApril).toMatchObject({ period: "2030-04", status: "paid", carried_in_usd: 24_990_000, earnings_usd: 10_000, amount_usd: 25_000_000, carried_out_usd: 0 });
    expect((await platform.transfersTo(under.accountId)).map((t) => t.amount)).toEqual([2500]);
    const frozenApril = (await payoutRows(frozen.company.id))[0];
    expect(frozenApril).toMatchObject({ period: "2030-04", status: "paid", carried_in_usd: 40_000_000, earnings_usd: 0, amount_usd: 40_000_000, stripe_account_id: renewed.id });
    // No sales in April and only a sub-cent remainder: nothing to record; it stays carried.
    expect(await payoutRows(busy.company.id)).toHaveLength(1);
    const exactApril = (await payoutRows(exact.company.id))[1];
    expect(exactApril).toMatchObject({ status: "rolled_over", earnings_usd: 1_000_000, carried_out_usd: 1_000_000 });
    expect(await payoutRows(unverified.company.id)).toEqual([]);

    // To the micro-dollar: what was transferred plus what carries forward is what the ledger's seller shares add up to.
    for (const seller of [under, exact, busy, frozen] as Seller[]) {
      const rows = await payoutRows(seller.company.id);
      const paid = rows.filter((r) => r.status === "paid").reduce((sum, r) => sum + r.amount_usd, 0);
      const transferred = (await platform.transfersTo(rows.find((r) => r.status === "paid")!.stripe_account_id)).reduce((sum, t) => sum + t.amount, 0);
      expect(paid + rows.at(-1)!.carried_out_usd).toBe(await ledgerShares(seller.company.id, utc(2030, 5, 1)));
      expect(transferred * 10_000).toBe(paid);
    }

    // May: a sale that, with the busy seller's carried sub-cent remainder, makes whole cents: all of it is paid.
    const remainder = busyShares % 10_000;
    await sell(buyer.company.id, [{ seller: busy, type: "endpoint", priceUsd: priceForShare(25_010_000 - remainder), at: utc(2030, 5, 7) }]);
    await platform.run(utc(2030, 6, 1, 3));
    expect((await payoutRows(busy.company.id))[1]).toMatchObject({
      period: "2030-05",
      status: "paid",
      carried_in_usd: remainder,
      earnings_usd: 25_010_000 - remainder,
      amount_usd: 25_010_000,
      carried_out_usd: 0,
    });
    const busyTransfers = (await platform.transfersTo(busy.accountId)).reduce((sum, t) => sum + t.amount, 0);
    expect(busyTransfers * 10_000).toBe(await ledgerShares(busy.company.id));
  });

  it("never pays twice after a crash between Stripe's transfer and recording it", async () => {
    await platform.setBalance(1_000_000_00);
    const buyer = await h.buyer({ credits: 1_000_000, name: "June Buyer" });
    const seller = await paidSeller(platform, "Crash Seller");
    await sell(buyer.company.id, [{ seller, type: "asset", priceUsd: priceForShare(30_123_456), at: utc(2031, 6, 12) }]);
    const first = await platform.run(utc(2031, 7, 1, 3));
    const payoutId = `po_2031-06_${seller.company.id}`;
    expect(first.paid).toEqual([payoutId]);
    const [paid] = await payoutRows(seller.company.id);

    // As if the worker died after Stripe made the transfer and before D1 heard of it.
    await env.DB.prepare("UPDATE payouts SET status = 'pending', transfer_id = NULL, paid_at = NULL WHERE id = ?").bind(payoutId).run();
    const balanceBefore = (await platform.local.stripe.balance.retrieve()).available[0]!.amount;
    const rerun = await platform.run(utc(2031, 7, 2, 3));
    expect(rerun.paid).toEqual([payoutId]);
    const [again] = await payoutRows(seller.company.id);
    expect(again).toMatchObject({ status: "paid", transfer_id: paid!.transfer_id, amount_usd: 30_120_000, carried_out_usd: 3_456 });
    expect(await platform.transfersTo(seller.accountId)).toHaveLength(1);
    expect((await platform.local.stripe.balance.retrieve()).available[0]!.amount).toBe(balanceBefore);
  });

  it("leaves a payout retryable with the balance intact when the platform balance is short", async () => {
    const buyer = await h.buyer({ credits: 1_000_000, name: "August Buyer" });
    const seller = await paidSeller(platform, "Short Balance Seller");
    await sell(buyer.company.id, [{ seller, type: "endpoint", priceUsd: priceForShare(26_000_000), at: utc(2031, 8, 3) }]);
    await platform.setBalance(1_000);

    const failed = await platform.run(utc(2031, 9, 1, 3));
    const payoutId = `po_2031-08_${seller.company.id}`;
    expect(failed.failed).toEqual([payoutId]);
    expect((await payoutRows(seller.company.id))[0]).toMatchObject({ status: "failed", failure_code: "balance_insufficient", attempt: 1, transfer_id: null });
    expect(await platform.transfersTo(seller.accountId)).toEqual([]);
    // Nothing was paid: the seller's pending payout still holds all of it.
    const earnings = await seller.api.earnings.summary.query();
    expect(earnings.exact.pendingPayoutUsd).toBe(26);
    // A run the next day still fails, and keeps the payout as it was.
    expect((await platform.run(utc(2031, 9, 2, 3))).failed).toEqual([payoutId]);

    await platform.setBalance(1_000_000);
    const retried = await platform.run(utc(2031, 9, 3, 3));
    expect(retried.paid).toEqual([payoutId]);
    expect((await payoutRows(seller.company.id))[0]).toMatchObject({ status: "paid", attempt: 3, failure_code: null, amount_usd: 26_000_000 });
    expect((await platform.transfersTo(seller.accountId)).map((t) => t.amount)).toEqual([2600]);
    expect((await seller.api.earnings.summary.query()).exact.pendingPayoutUsd).toBe(0);
  });

  it("keeps the same idempotency key through a Stripe outage, and pays once when it is over", async () => {
    await platform.setBalance(1_000_000);
    const buyer = await h.buyer({ credits: 1_000_000, name: "October Buyer" });
    const seller = await paidSeller(platform, "Outage Seller");
    await sell(buyer.company.id, [{ seller, type: "asset", priceUsd: priceForShare(MINIMUM_PAYOUT_USD + 5), at: utc(2031, 10, 9) }]);
    // Every try of the next transfer fails with a 500 (the SDK retries twice itself).
    await platform.local.control("/faults", { path: "/v1/transfers", method: "POST", count: "3", error: "api_error" });

    const outage = await platform.run(utc(2031, 11, 1, 3));
    const payoutId = `po_2031-10_${seller.company.id}`;
    expect(outage.pending).toEqual([payoutId]);
    expect((await payoutRows(seller.company.id))[0]).toMatchObject({ status: "pending", attempt: 1, failure_code: "api_error", transfer_id: null });
    expect(await platform.transfersTo(seller.accountId)).toEqual([]);

    const after = await platform.run(utc(2031, 11, 2, 3));
    expect(after.paid).toEqual([payoutId]);
    expect((await payoutRows(seller.company.id))[0]).toMatchObject({ status: "paid", attempt: 1, amount_usd: 25_000_000, carried_out_usd: 5 });
    expect(await platform.transfersTo(seller.accountId)).toHaveLength(1);
  });

  it("skips a seller whose Stripe payouts were restricted, and pays once they are restored", async () => {
    await platform.setBalance(1_000_000);
    const buyer = await h.buyer({ credits: 1_000_000, name: "December Buyer" });
    const seller = await paidSeller(platform, "Restricted Seller");
    await sell(buyer.company.id, [{ seller, type: "asset", priceUsd: priceForShare(50_000_000), at: utc(2031, 12, 24) }]);
    const connect = { ...services(env, db), stripe: platform.local.stripe };
    await platform.local.control(`/accounts/${seller.accountId}/payouts`, { enabled: "false" });
    await refreshAccount(connect, seller.company.id);

    const run = await platform.run(utc(2032, 1, 1, 3));
    expect(run.skipped).toContain(seller.company.id);
    expect(await payoutRows(seller.company.id)).toEqual([]);

    await platform.local.control(`/accounts/${seller.accountId}/payouts`, { enabled: "true" });
    await refreshAccount(connect, seller.company.id);
    expect((await platform.run(utc(2032, 1, 2, 3))).paid).toEqual([`po_2031-12_${seller.company.id}`]);
  });
});
