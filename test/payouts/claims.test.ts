/**
 * Payout runs at the same time (two cron invocations, an admin's payouts.run
 * during the cron): a run claims each payout before transferring it, so one
 * transfer request goes to Stripe per payout attempt, and exactly one run
 * reports it paid. Stripe's idempotency key is the second line of defence,
 * not the first.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CLAIM_TIMEOUT_MS } from "../../src/payouts/transfer";
import { paidSeller, payoutPlatform, payoutRows, sell, utc, type PayoutRunResult, type Platform, type Seller } from "./helpers";
import { h } from "../harness";

const platform = payoutPlatform();

/** Idempotency keys of the transfer requests `platform`'s Stripe client sends while `work` runs. */
async function transferRequests<T>(p: Platform, work: () => Promise<T>): Promise<{ result: T; keys: string[] }> {
  const keys: string[] = [];
  const listen = (request: { method?: string; path?: string; idempotency_key?: string }) => {
    if (request.method === "POST" && request.path === "/v1/transfers") keys.push(request.idempotency_key ?? "");
  };
  p.local.stripe.on("request", listen);
  try {
    return { result: await work(), keys: keys.sort() };
  } finally {
    p.local.stripe.off("request", listen);
  }
}

const reportedPaid = (runs: PayoutRunResult[]) => runs.flatMap((run) => run.paid).sort();

async function sellersWithSales(names: string[], at: number): Promise<Seller[]> {
  const buyer = await h.buyer({ credits: 1_000_000, name: `${names[0]} buyer` });
  const sellers: Seller[] = [];
  for (const name of names) sellers.push(await paidSeller(platform, name));
  await sell(buyer.company.id, sellers.map((seller, i) => ({ seller, type: "asset" as const, priceUsd: 40_000_000 + i, at })));
  return sellers;
}

describe("payout runs at the same time", () => {
  it("runs starting moments apart: one transfer request per payout, exactly one run reports each paid", async () => {
    await platform.setBalance(1_000_000);
    const sellers = await sellersWithSales(["Race One", "Race Two", "Race Three"], utc(2031, 11, 20));
    const ids = sellers.map((s) => `po_2031-11_${s.company.id}`).sort();

    // Later runs start while earlier ones are mid-way: they see the earlier runs' payouts as open.
    const { result: runs, keys } = await transferRequests(platform, () =>
      Promise.all(
        Array.from({ length: 5 }, (_, i) => new Promise((resolve) => setTimeout(resolve, i * 15)).then(() => platform.run(utc(2031, 12, 1, 3, i)))),
      ),
    );
    expect(runs.flatMap((run) => run.errors)).toEqual([]);
    expect(reportedPaid(runs)).toEqual(ids);
    expect(keys).toEqual(ids.map((id) => `payout:${id}:1`));
    for (const seller of sellers) {
      expect(await platform.transfersTo(seller.accountId)).toHaveLength(1);
      expect(await payoutRows(seller.company.id)).toMatchObject([{ period: "2031-11", status: "paid", amount_usd: 32_000_000, attempt: 1 }]);
    }
  });

  it("open payouts retried by several runs at once: one transfer request each, reported paid once", async () => {
    await platform.setBalance(1_000_000);
    const sellers = await sellersWithSales(["Retry One", "Retry Two", "Retry Three"], utc(2032, 2, 10));
    const ids = sellers.map((s) => `po_2032-02_${s.company.id}`).sort();
    // Stripe is down for the first run (the SDK tries each transfer three times): all three stay pending.
    await platform.local.control("/faults", { path: "/v1/transfers", method: "POST", count: "9", error: "api_error" });
    const outage = await platform.run(utc(2032, 3, 1, 3));
    expect(outage.pending.sort()).toEqual(ids);

    const { result: runs, keys } = await transferRequests(platform, () =>
      Promise.all(Array.from({ length: 5 }, (_, i) => platform.run(utc(2032, 3, 2, 3, i)))),
    );
    expect(runs.flatMap((run) => run.errors)).toEqual([]);
    expect(reportedPaid(runs)).toEqual(ids);
    expect(runs.flatMap((run) => [...run.pending, ...run.failed])).toEqual([]);
    expect(keys).toEqual(ids.map((id) => `payout:${id}:1`));
    for (const seller of sellers) expect(await platform.transfersTo(seller.accountId)).toHaveLength(1);
  });

  it("a payout left sending by a run that died is not touched while its claim is fresh, then taken over with the same key", async () => {
    await platform.setBalance(1_000_000);
    const [seller] = await sellersWithSales(["Dead Run Seller"], utc(2032, 5, 5));
    const id = `po_2032-05_${seller!.company.id}`;
    const first = await platform.run(utc(2032, 6, 1, 3));
    expect(first.paid).toEqual([id]);
    const [paid] = await payoutRows(seller!.company.id);

    // As if a run claimed it, Stripe transferred, and the run died before recording it.
    const claim = (at: number) =>
      env.DB.prepare("UPDATE payouts SET status = 'sending', claimed_by = 'run_dead', claimed_at = ?, transfer_id = NULL, paid_at = NULL WHERE id = ?")
        .bind(at, id)
        .run();
    await claim(Date.now());
    const fresh = await transferRequests(platform, () => platform.run(utc(2032, 6, 2, 3)));
    expect(fresh.result).toMatchObject({ paid: [], pending: [], failed: [], errors: [] });
    expect(fresh.keys).toEqual([]);
    expect((await payoutRows(seller!.company.id))[0]).toMatchObject({ status: "sending", claimed_by: "run_dead" });
    // The seller still sees it as pending, and it stays reserved.
    expect((await seller!.api.payouts.get.query({ id })).status).toBe("pending");
    expect((await seller!.api.earnings.summary.query()).exact.pendingPayoutUsd).toBe(32);

    await claim(Date.now() - CLAIM_TIMEOUT_MS - 1);
    const takeover = await transferRequests(platform, () => platform.run(utc(2032, 6, 3, 3)));
    expect(takeover.result.paid).toEqual([id]);
    expect(takeover.keys).toEqual([`payout:${id}:1`]);
    expect((await payoutRows(seller!.company.id))[0]).toMatchObject({ status: "paid", transfer_id: paid!.transfer_id, attempt: 1 });
    expect(await platform.transfersTo(seller!.accountId)).toHaveLength(1);
  });
});
