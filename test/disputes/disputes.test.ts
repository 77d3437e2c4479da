import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { wallet } from "../../src/wallet/client";
import { ledgerShares, paidSeller, payoutPlatform, payoutRows, sell, utc } from "../payouts/helpers";
import { h, adminKey, client, drained, eventually, expectCode, rest } from "../harness";

afterEach(() => {
  vi.useRealTimers();
});

/** A billed endpoint request: its request id, and the buyer's ledger entry for it. */
async function billedRequest() {
  const world = await h.listedEndpoint({ rows: 10, priceUsd: "0.50", buyerCredits: 10 });
  const res = await rest(`/v1/endpoints/${world.endpoint.id}?page_size=3`, { key: world.key });
  expect(res.status).toBe(200);
  const requestId = res.body.billing.request_id as string;
  // The admin reviews a dispute beside D1's request log, which the wallet feeds a moment after the call.
  await drained(world.buyer.company.id);
  const history = await world.buyer.api.credits.history.query({ kinds: ["charge"] });
  return { ...world, requestId, transactionId: history.items[0]!.id };
}

/** The request log is written after the response (waitUntil); wait for it. */
async function logged(requestId: string) {
  await eventually(() => env.DB.prepare("SELECT 1 FROM request_logs WHERE id = ?").bind(requestId).first(), `request ${requestId} in the log`);
}

const admin = async () => client(await adminKey());

describe("disputes", () => {
  it("a buyer disputes a billed request; an admin sees the request log behind it and refunds it exactly once", async () => {
    const world = await billedRequest();
    await logged(world.requestId);
    expect((await world.buyer.api.credits.balance.query()).availableCredits).toBe(9);

    const opened = await world.buyer.api.disputes.open.mutate({ requestId: world.requestId, reason: "The rows were stale." });
    expect(opened).toMatchObject({
      status: "open",
      transactionId: world.transactionId,
      requestId: world.requestId,
      productId: world.endpoint.id,
      sellerCompanyId: world.seller.company.id,
      credits: 1,
      grossUsd: 0.5,
      sellerShareUsd: 0.4,
    });
    expect((await world.buyer.api.disputes.mine.query()).items.map((d) => d.id)).toEqual([opened.id]);
    // The seller sees the dispute of its sale; nobody else's company does.
    expect((await world.seller.api.disputes.received.query()).items).toMatchObject([{ id: opened.id, status: "open", reason: "The rows were stale.", productName: "City populations" }]);
    expect((await world.buyer.api.disputes.received.query()).items).toEqual([]);
    expect((await (await h.buyer({ name: "Bystander Co" })).api.disputes.received.query()).items).toEqual([]);

    const ops = await admin();
    const [review] = (await ops.disputes.list.query({ status: "open", limit: 200 })).items.filter((d) => d.id === opened.id);
    expect(review).toMatchObject({
      buyerName: "Buyer Co",
      sellerName: "Northwind Data",
      productName: "City populations",
      requestLog: { id: world.requestId, status: 200, billed: true, credits: 1, rows: 3, method: "GET" },
    });

    const refunded = await ops.disputes.resolve.mutate({ id: opened.id, outcome: "refunded", note: "Seller confirmed stale data." });
    expect(refunded).toMatchObject({ status: "refunded", resolutionNote: "Seller confirmed stale data." });
    expect(refunded.refundEntryId).toMatch(new RegExp(`^${world.buyer.company.id}:`));
    expect((await world.buyer.api.credits.balance.query()).availableCredits).toBe(10);
    const [refund] = (await world.buyer.api.credits.history.query({ kinds: ["refund"] })).items;
    expect(refund).toMatchObject({ id: refunded.refundEntryId, kind: "refund", credits: 1, productId: world.endpoint.id, sellerCompanyId: world.seller.company.id });

    // Again: the same answer, no second refund. The other outcome: CONFLICT.
    expect((await ops.disputes.resolve.mutate({ id: opened.id, outcome: "refunded" })).refundEntryId).toBe(refunded.refundEntryId);
    await expectCode(ops.disputes.resolve.mutate({ id: opened.id, outcome: "rejected" }), "CONFLICT");
    expect((await world.buyer.api.credits.balance.query()).availableCredits).toBe(10);
    expect((await world.buyer.api.credits.history.query({ kinds: ["refund"] })).items).toHaveLength(1);

    // The seller's share is reversed in its earnings.
    await drained(world.buyer.company.id);
    expect((await world.seller.api.earnings.summary.query()).exact.totalEarnedUsd).toBe(0);
    expect(await world.buyer.api.disputes.get.query({ id: opened.id })).toMatchObject({ status: "refunded" });
    expect((await world.seller.api.disputes.received.query({ status: "refunded" })).items).toMatchObject([{ id: opened.id, sellerShareUsd: 0.4 }]);
  });

  it("disputes a charge the moment it is billed, before D1 has its copy: the buyer's wallet has it", async () => {
    const world = await h.listedEndpoint({ rows: 10, priceUsd: "0.50", buyerCredits: 10 });
    const first = await rest(`/v1/endpoints/${world.endpoint.id}?page_size=3`, { key: world.key });
    // D1's copy comes with the wallet's next send, 100 ms on, and the consumer's batch after it.
    const copied = () => env.DB.prepare("SELECT count(*) AS n FROM transactions WHERE company_id = ? AND kind = 'charge'").bind(world.buyer.company.id).first<number>("n");
    expect(await copied()).toBe(0);
    const second = await rest(`/v1/endpoints/${world.endpoint.id}?page_size=1`, { key: world.key });
    const [latest, earlier] = (await world.buyer.api.credits.history.query({ kinds: ["charge"] })).items;

    const byRequest = await world.buyer.api.disputes.open.mutate({ requestId: first.body.billing.request_id, reason: "Stale, right away." });
    expect(byRequest).toMatchObject({
      status: "open",
      transactionId: earlier!.id,
      requestId: first.body.billing.request_id,
      productId: world.endpoint.id,
      sellerCompanyId: world.seller.company.id,
      credits: 1,
      grossUsd: 0.5,
      sellerShareUsd: 0.4,
    });
    const byTransaction = await world.buyer.api.disputes.open.mutate({ transactionId: latest!.id, reason: "This one too." });
    expect(byTransaction).toMatchObject({ transactionId: latest!.id, requestId: second.body.billing.request_id, credits: 1 });

    // Another company's ids name nothing in its own wallet; the same charge twice is CONFLICT, copied to D1 or not.
    const stranger = await h.buyer({ name: "Quick Stranger Co" });
    await expectCode(stranger.api.disputes.open.mutate({ requestId: second.body.billing.request_id, reason: "Not mine." }), "NOT_FOUND");
    await expectCode(stranger.api.disputes.open.mutate({ transactionId: latest!.id, reason: "Not mine." }), "NOT_FOUND");
    await expectCode(world.buyer.api.disputes.open.mutate({ transactionId: earlier!.id, reason: "Again." }), "CONFLICT");
    await drained(world.buyer.company.id);
    expect(await copied()).toBe(2);
    await expectCode(world.buyer.api.disputes.open.mutate({ requestId: second.body.billing.request_id, reason: "Again." }), "CONFLICT");
  });

  it("a rejected dispute moves nothing and cannot be refunded afterwards", async () => {
    const world = await billedRequest();
    const opened = await world.buyer.api.disputes.open.mutate({ transactionId: world.transactionId, reason: "I did not mean to call it." });
    const ops = await admin();
    const rejected = await ops.disputes.resolve.mutate({ id: opened.id, outcome: "rejected", note: "A 200 with rows is billed." });
    expect(rejected).toMatchObject({ status: "rejected", refundEntryId: null });
    expect((await ops.disputes.resolve.mutate({ id: opened.id, outcome: "rejected" })).status).toBe("rejected");
    await expectCode(ops.disputes.resolve.mutate({ id: opened.id, outcome: "refunded" }), "CONFLICT");
    expect((await world.buyer.api.credits.balance.query()).availableCredits).toBe(9);
  });

  it("two admins resolving at once: exactly one outcome, at most one refund", async () => {
    const world = await billedRequest();
    const ops = await admin();
    const same = await world.buyer.api.disputes.open.mutate({ requestId: world.requestId, reason: "Twice." });
    const results = await Promise.allSettled([
      ops.disputes.resolve.mutate({ id: same.id, outcome: "refunded" }),
      ops.disputes.resolve.mutate({ id: same.id, outcome: "refunded" }),
      ops.disputes.resolve.mutate({ id: same.id, outcome: "refunded" }),
    ]);
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect((await world.buyer.api.credits.history.query({ kinds: ["refund"] })).items).toHaveLength(1);
    expect((await world.buyer.api.credits.balance.query()).availableCredits).toBe(10);

    // Refund against reject, racing: one wins, the other is CONFLICT, and the books agree with the winner.
    const res = await rest(`/v1/endpoints/${world.endpoint.id}?page_size=1`, { key: world.key });
    await drained(world.buyer.company.id);
    const other = await world.buyer.api.disputes.open.mutate({ requestId: res.body.billing.request_id, reason: "Race." });
    const race = await Promise.allSettled([
      ops.disputes.resolve.mutate({ id: other.id, outcome: "refunded" }),
      ops.disputes.resolve.mutate({ id: other.id, outcome: "rejected" }),
    ]);
    expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const final = await ops.disputes.review.query({ id: other.id });
    const refunds = (await world.buyer.api.credits.history.query({ kinds: ["refund"] })).items;
    expect(refunds).toHaveLength(final.status === "refunded" ? 2 : 1);
    expect((await world.buyer.api.credits.balance.query()).availableCredits).toBe(final.status === "refunded" ? 10 : 9);
  });

  it("refuses what is not the buyer's billed transaction, a second dispute, and non-admins", async () => {
    const world = await billedRequest();
    const stranger = await h.buyer({ name: "Stranger Co" });
    await expectCode(stranger.api.disputes.open.mutate({ requestId: world.requestId, reason: "Not mine." }), "NOT_FOUND");
    await expectCode(stranger.api.disputes.open.mutate({ transactionId: world.transactionId, reason: "Not mine." }), "NOT_FOUND");
    // A deposit is not a billed transaction.
    const [grant] = (await world.buyer.api.credits.history.query({ kinds: ["grant"] })).items;
    await expectCode(world.buyer.api.disputes.open.mutate({ transactionId: grant!.id, reason: "Grant?" }), "NOT_FOUND");
    await expectCode(world.buyer.api.disputes.open.mutate({ reason: "Which one?" }), "BAD_REQUEST");
    await expectCode(world.buyer.api.disputes.open.mutate({ requestId: world.requestId, transactionId: world.transactionId, reason: "Both." }), "BAD_REQUEST");
    await expectCode(world.buyer.api.disputes.open.mutate({ requestId: world.requestId, reason: "" }), "BAD_REQUEST");

    const opened = await world.buyer.api.disputes.open.mutate({ requestId: world.requestId, reason: "Stale." });
    await expectCode(world.buyer.api.disputes.open.mutate({ transactionId: world.transactionId, reason: "Again." }), "CONFLICT");
    await expectCode(stranger.api.disputes.get.query({ id: opened.id }), "NOT_FOUND");
    await expectCode(world.buyer.api.disputes.list.query(), "FORBIDDEN");
    await expectCode(world.buyer.api.disputes.resolve.mutate({ id: opened.id, outcome: "refunded" }), "FORBIDDEN");
    await expectCode(world.seller.api.disputes.resolve.mutate({ id: opened.id, outcome: "refunded" }), "FORBIDDEN");
    await expectCode((await admin()).disputes.resolve.mutate({ id: "dsp_missing", outcome: "refunded" }), "NOT_FOUND");
    const readOnly = await world.buyer.api.keys.create.mutate({ name: "viewer", scope: "read" });
    await expectCode(client(readOnly.secret).disputes.open.mutate({ requestId: world.requestId, reason: "Read key." }), "FORBIDDEN");
  });
});

describe("a refund and the seller's payouts", () => {
  const platform = payoutPlatform();

  it("reduces the next payout by exactly the refunded share, or carries a negative balance", async () => {
    await platform.setBalance(1_000_000);
    const buyer = await h.buyer({ credits: 1_000_000, name: "Disputing Buyer" });
    const seller = await paidSeller(platform, "Disputed Seller");
    const ops = await admin();
    // January: two $40 sales (a $32 share each), paid on February 1st.
    const [janA, janB] = await sell(buyer.company.id, [
      { seller, type: "asset", priceUsd: 40_000_000, at: utc(2034, 1, 10) },
      { seller, type: "asset", priceUsd: 40_000_000, at: utc(2034, 1, 11) },
    ]);
    expect((await platform.run(utc(2034, 2, 1, 3))).paid).toEqual([`po_2034-01_${seller.company.id}`]);

    // February: sales worth a $45.50 share; the buyer disputes January's first sale, refunded on February 20th.
    await sell(buyer.company.id, [
      { seller, type: "endpoint", priceUsd: 56_875_000, at: utc(2034, 2, 5) },
    ]);
    const opened = await buyer.api.disputes.open.mutate({ transactionId: janA!, reason: "Wrong figures." });
    const before = (await buyer.api.credits.balance.query()).availableCredits;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(utc(2034, 2, 20));
    await ops.disputes.resolve.mutate({ id: opened.id, outcome: "refunded" });
    vi.useRealTimers();
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(before + 80);
    await drained(buyer.company.id);

    await platform.run(utc(2034, 3, 1, 3));
    const feb = (await payoutRows(seller.company.id))[1]!;
    // 45.50 earned − 32.00 refunded = 13.50: below the minimum, it rolls over.
    expect(feb).toMatchObject({ period: "2034-02", status: "rolled_over", earnings_usd: 13_500_000, carried_in_usd: 0, amount_usd: 0, carried_out_usd: 13_500_000 });
    const { results: lines } = await env.DB.prepare("SELECT product_type, sales, refunds, earnings_usd FROM payout_lines WHERE payout_id = ? ORDER BY product_type").bind(feb.id).all();
    expect(lines).toEqual([
      { product_type: "asset", sales: 0, refunds: 1, earnings_usd: -32_000_000 },
      { product_type: "endpoint", sales: 1, refunds: 0, earnings_usd: 45_500_000 },
    ]);

    // March: the second January sale is refunded too, and nothing is sold: the balance goes negative.
    const second = await buyer.api.disputes.open.mutate({ transactionId: janB!, reason: "Also wrong." });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(utc(2034, 3, 15));
    await ops.disputes.resolve.mutate({ id: second.id, outcome: "refunded" });
    vi.useRealTimers();
    await drained(buyer.company.id);
    await platform.run(utc(2034, 4, 1, 3));
    expect((await payoutRows(seller.company.id))[2]).toMatchObject({ period: "2034-03", status: "rolled_over", carried_in_usd: 13_500_000, earnings_usd: -32_000_000, carried_out_usd: -18_500_000 });

    // April: a $50 share pays off the debt and leaves $31.50, which is paid.
    await sell(buyer.company.id, [{ seller, type: "asset", priceUsd: 62_500_000, at: utc(2034, 4, 2) }]);
    await platform.run(utc(2034, 5, 1, 3));
    expect((await payoutRows(seller.company.id))[3]).toMatchObject({ period: "2034-04", status: "paid", carried_in_usd: -18_500_000, earnings_usd: 50_000_000, amount_usd: 31_500_000, carried_out_usd: 0 });
    expect((await platform.transfersTo(seller.accountId)).map((t) => t.amount).sort()).toEqual([3150, 6400]);
    expect(64_000_000 + 31_500_000).toBe(await ledgerShares(seller.company.id));
  });
});
