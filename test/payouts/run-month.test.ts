/**
 * `payouts.run({ month })` through the typed client, as the README and
 * `npm run payouts -- YYYY-MM` use it: the worker's own bindings (D1, R2,
 * mail, its Stripe platform, the payout queue and its consumer), an admin
 * key, a month that has ended.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { previousMonth } from "../../src/payouts/period";
import { payoutRows, sell, utc } from "./helpers";
import { h, adminKey, citiesCsv, citiesSpec, client, eventually, expectCode, workerStripe } from "../harness";

/** A seller verified on the worker's Stripe platform with one endpoint, and a buyer's sales of it. */
async function sellerWithSales(name: string, sales: { priceUsd: number; at: number }[]) {
  const buyer = await h.buyer({ credits: 1_000_000, name: `${name} buyer` });
  const seller = await h.seller({ name, billingEmail: `billing@${name.toLowerCase().replaceAll(" ", "-")}.test`, connect: true, buyer: true });
  const source = await h.dataset(seller.company.id, citiesCsv(3));
  const endpoint = await h.endpoint(seller, {
    name: `${name} feed`,
    description: "Cities.",
    category: "Geo",
    dataSourceId: source.id,
    spec: citiesSpec,
    priceUsd: "0.50",
  });
  const products = { company: seller.company, asset: endpoint, endpoint };
  await sell(buyer.company.id, sales.map((sale) => ({ seller: products, type: "endpoint" as const, ...sale })));
  return seller;
}

/** Waits until the queue's consumer has settled `payoutId` (paid or rolled over, report delivered). */
const settled = (payoutId: string) =>
  eventually(
    () => env.DB.prepare("SELECT 1 FROM payouts WHERE id = ? AND status IN ('paid', 'rolled_over') AND report_key IS NOT NULL").bind(payoutId).first(),
    `payout ${payoutId}`,
  );

describe("payouts.run for a chosen month", () => {
  it("queues the month named; the consumer pays it once, with its report, as the cron would after that month", async () => {
    await workerStripe().control("/balance", { amount: String(1_000_000_00) });
    const seller = await sellerWithSales("Month Seller", [
      { priceUsd: 40_000_000, at: utc(2025, 11, 14) },
      { priceUsd: 35_000_000, at: utc(2025, 12, 2) },
    ]);
    const admin = client(await adminKey());
    const november = `po_2025-11_${seller.company.id}`;

    expect(await admin.payouts.run.mutate({ month: "2025-11" })).toEqual({ period: "2025-11", enqueued: 1, skipped: [] });
    await settled(november);
    expect(await seller.api.payouts.get.query({ id: november })).toMatchObject({ status: "paid", earningsUsd: 32, amountUsd: 32, reportAvailable: true });
    expect(await env.REPORTS.head(`payouts/${seller.company.id}/${november}.pdf`)).not.toBeNull();
    expect(await admin.payouts.month.query({ month: "2025-11" })).toEqual({
      period: "2025-11",
      payouts: { paid: 1, rolled_over: 0, pending: 0, failed: 0 },
      paidUsd: 32,
      carriedOutUsd: 0,
    });

    // Again: nobody is due, nobody is paid twice.
    expect(await admin.payouts.run.mutate({ month: "2025-11" })).toMatchObject({ enqueued: 0 });
    // December is its own month: its sale only.
    expect(await admin.payouts.run.mutate({ month: "2025-12" })).toMatchObject({ enqueued: 1 });
    await settled(`po_2025-12_${seller.company.id}`);
    expect((await payoutRows(seller.company.id)).map((p) => [p.period, p.status, p.amount_usd])).toEqual([
      ["2025-11", "paid", 32_000_000],
      ["2025-12", "paid", 28_000_000],
    ]);
    expect(await workerStripe().stripe.transfers.list({ destination: seller.accountId })).toMatchObject({ data: [{ amount: 2800 }, { amount: 3200 }] });
  });

  it("records nothing for a month older than one already paid: that payout's balance took the month in", async () => {
    await workerStripe().control("/balance", { amount: String(1_000_000_00) });
    const seller = await sellerWithSales("Late Month Seller", [{ priceUsd: 40_000_000, at: utc(2025, 8, 20) }]);
    const admin = client(await adminKey());
    // September is paid first; its balance carries August's earnings in.
    expect(await admin.payouts.run.mutate({ month: "2025-09" })).toMatchObject({ enqueued: 1 });
    await settled(`po_2025-09_${seller.company.id}`);
    expect(await admin.payouts.run.mutate({ month: "2025-08" })).toMatchObject({ enqueued: 0 });
    expect(await payoutRows(seller.company.id)).toMatchObject([{ period: "2025-09", status: "paid", carried_in_usd: 32_000_000, amount_usd: 32_000_000 }]);
  });

  it("without a month queues the month just ended, like the daily cron", async () => {
    const run = await client(await adminKey()).payouts.run.mutate({});
    expect(run).toMatchObject({ period: previousMonth(Date.now()).key, skipped: [] });
  });

  it("refuses a month that is not over, a malformed month, and anyone but a platform admin", async () => {
    const admin = client(await adminKey());
    const thisMonth = new Date().toISOString().slice(0, 7);
    const nextYear = `${new Date().getUTCFullYear() + 1}-01`;
    for (const month of [thisMonth, nextYear]) await expectCode(admin.payouts.run.mutate({ month }), "BAD_REQUEST");
    for (const month of ["2025-13", "2025-1", "November", ""]) {
      await expectCode(admin.payouts.run.mutate({ month }), "BAD_REQUEST");
      await expectCode(admin.payouts.month.query({ month }), "BAD_REQUEST");
    }
    const seller = await h.seller({ name: "Curious Month Seller", connect: true, buyer: true });
    await expectCode(seller.api.payouts.run.mutate({ month: "2025-11" }), "FORBIDDEN");
    await expectCode(seller.api.payouts.month.query({ month: "2025-11" }), "FORBIDDEN");
    await expectCode(client().payouts.run.mutate({ month: "2025-11" }), "UNAUTHORIZED");
    const { results } = await env.DB.prepare("SELECT id FROM payouts WHERE period >= ?").bind(thisMonth).all();
    expect(results).toEqual([]);
  });
});
