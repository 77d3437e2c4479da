import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { PDFDocument } from "@cantoo/pdf-lib";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { previousMonth } from "../../src/payouts/period";
import { paidSeller, payoutPlatform, sell, utc } from "./helpers";
import { pdfText } from "./pdf-text";
import { h, adminKey, citiesCsv, citiesSpec, client, eventually, expectCode, rest } from "../harness";

const platform = payoutPlatform();

async function outbox(to: string) {
  const { results } = await env.DB.prepare("SELECT * FROM mail_outbox WHERE \"to\" = ? ORDER BY created_at").bind(to).all<any>();
  return results.map((row) => ({ ...row, attachments: JSON.parse(row.attachments) }));
}

describe("payout reports", () => {
  it("stores a readable PDF in R2, mails it once to the billing address, and lets only the seller download it", async () => {
    await platform.setBalance(10_000_00);
    const buyer = await h.buyer({ credits: 1_000_000, name: "Report Buyer" });
    const seller = await paidSeller(platform, "Report Seller", { billingEmail: "billing@report-seller.test" });
    await sell(buyer.company.id, [
      { seller, type: "asset", priceUsd: 20_000_000, at: utc(2032, 2, 3) },
      { seller, type: "asset", priceUsd: 20_000_000, at: utc(2032, 2, 4) },
      { seller, type: "endpoint", priceUsd: 1_250_000, at: utc(2032, 2, 28, 12) },
    ]);
    const run = await platform.run(utc(2032, 3, 1, 3));
    const payoutId = `po_2032-02_${seller.company.id}`;
    expect(run.paid).toEqual([payoutId]);
    expect(run.reportsDelivered).toEqual([payoutId]);

    const stored = await env.REPORTS.get(`payouts/${seller.company.id}/${payoutId}.pdf`);
    expect(stored?.httpMetadata?.contentType).toBe("application/pdf");
    const pdf = new Uint8Array(await stored!.arrayBuffer());
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe("%PDF-");

    const text = await pdfText(pdf);
    for (const expected of [
      "Tessera payout report",
      "February 2032",
      "Seller: Report Seller",
      `Payout: ${payoutId}`,
      "Status: Paid",
      `Stripe account: ${seller.accountId}`,
      "Earnings this month (80% seller share, net of refunds)",
      "$33.00",
      "Transferred to your Stripe account",
      "Assets (executions)",
      "$32.00",
      "Endpoints (requests)",
      "$1.00",
      "Report Seller count",
      "Report Seller feed",
    ]) {
      expect(text).toContain(expected);
    }
    const parsed = await PDFDocument.load(pdf);
    expect(parsed.getTitle()).toBe("Tessera payout report 2032-02");
    expect(parsed.getPageCount()).toBe(1);

    const mails = await outbox("billing@report-seller.test");
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      id: `payout-report:${payoutId}`,
      transport: "outbox",
      from: "payouts@tessera.test",
      subject: "Your Tessera payout report for February 2032",
      attachments: [{ filename: "tessera-payout-2032-02.pdf", type: "application/pdf", size: pdf.byteLength }],
    });
    expect(mails[0].text).toContain("We transferred $33.00 to your Stripe account");

    // Another run neither stores nor mails it again.
    expect((await platform.run(utc(2032, 3, 2, 3))).reportsDelivered).toEqual([]);
    expect(await outbox("billing@report-seller.test")).toHaveLength(1);

    // The seller downloads it, and reads its history.
    const download = await client(seller.key).payouts.get.query({ id: payoutId });
    expect(download).toMatchObject({
      status: "paid",
      amountUsd: 33,
      reportAvailable: true,
      reportPath: `/companies/${seller.company.id}/payouts/${payoutId}/report`,
      byType: [
        { type: "ASSET", sales: 2, earningsUsd: 32 },
        { type: "ENDPOINT", sales: 1, earningsUsd: 1 },
      ],
    });
    const res = await env.REPORTS.head(`payouts/${seller.company.id}/${payoutId}.pdf`);
    const fetched = await fetchReport(download.reportPath!, seller.key);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toBe("application/pdf");
    expect(fetched.headers.get("content-disposition")).toContain("tessera-payout-2032-02.pdf");
    expect((await fetched.arrayBuffer()).byteLength).toBe(res!.size);
    expect((await seller.api.payouts.list.query()).items.map((p) => p.id)).toEqual([payoutId]);

    // Nobody else can.
    const other = await h.buyer({ name: "Nosy Co" });
    const denied = await rest(download.reportPath!, { key: other.key });
    expect(denied.status).toBe(404);
    expect(denied.body.error.code).toBe("NOT_FOUND");
    const sneaky = await rest(`/companies/${other.company.id}/payouts/${payoutId}/report`, { key: other.key });
    expect(sneaky.status).toBe(404);
    await expectCode(other.api.payouts.get.query({ id: payoutId }), "NOT_FOUND");
    expect((await other.api.payouts.list.query()).items).toEqual([]);
    expect((await rest(download.reportPath!)).status).toBe(401);
  });

  it("reports a rollover too, and mails nothing without a billing address", async () => {
    const buyer = await h.buyer({ credits: 1_000_000, name: "Small Buyer" });
    const small = await paidSeller(platform, "Small Seller", { billingEmail: "small@seller.test" });
    const silent = await paidSeller(platform, "Silent Seller");
    await sell(buyer.company.id, [
      { seller: small, type: "endpoint", priceUsd: 2_500_000, at: utc(2032, 4, 9) },
      { seller: silent, type: "endpoint", priceUsd: 2_500_000, at: utc(2032, 4, 9) },
    ]);
    const run = await platform.run(utc(2032, 5, 1, 3));
    expect(run.rolledOver).toEqual(expect.arrayContaining([`po_2032-04_${small.company.id}`, `po_2032-04_${silent.company.id}`]));
    const [mail] = await outbox("small@seller.test");
    expect(mail.text).toContain("below the $25.00 minimum payout, so it rolls over");
    const text = await pdfText(new Uint8Array(await (await env.REPORTS.get(`payouts/${small.company.id}/po_2032-04_${small.company.id}.pdf`))!.arrayBuffer()));
    expect(text).toContain("Status: Rolled over (below the $25.00 minimum)");
    expect(text).toContain("Carried to next month");
    // The silent seller's report is stored (downloadable) but no mail went anywhere for it.
    expect(await env.REPORTS.head(`payouts/${silent.company.id}/po_2032-04_${silent.company.id}.pdf`)).not.toBeNull();
    const { results } = await env.DB.prepare("SELECT id FROM mail_outbox WHERE id = ?").bind(`payout-report:po_2032-04_${silent.company.id}`).all();
    expect(results).toEqual([]);
  });

  it("lets platform admins run the job now, and nobody else", async () => {
    const seller = await paidSeller(platform, "Curious Seller");
    await expectCode(seller.api.payouts.run.mutate({}), "FORBIDDEN");
    const result = await client(await adminKey()).payouts.run.mutate({});
    expect(result).toEqual({ period: previousMonth(Date.now()).key, enqueued: 0, skipped: [] });
  });

  it("runs from the cron trigger through the payout queue with the worker's own bindings (D1, R2, mail, Stripe)", async () => {
    const buyer = await h.buyer({ credits: 1_000_000, name: "Cron Buyer" });
    const seller = await h.seller({ name: "Cron Seller", billingEmail: "cron@seller.test", connect: true, buyer: true });
    const source = await h.dataset(seller.company.id, citiesCsv(3));
    const product = await h.endpoint(seller, {
      name: "Cron feed",
      description: "Cities.",
      category: "Geo",
      dataSourceId: source.id,
      spec: citiesSpec,
      priceUsd: "0.50",
    });
    await sell(buyer.company.id, [{ seller: { company: seller.company, asset: product, endpoint: product }, type: "endpoint", priceUsd: 12_500_000, at: utc(2032, 6, 30) }]);

    const controller = createScheduledController({ scheduledTime: utc(2032, 7, 1, 3), cron: "0 3 * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled!(controller, env, ctx);
    await waitOnExecutionContext(ctx);

    // The cron queued the seller; the queue's consumer pays it in the background.
    const payoutId = `po_2032-06_${seller.company.id}`;
    const delivered = () => env.DB.prepare("SELECT 1 FROM payouts WHERE id = ? AND mailed_at IS NOT NULL").bind(payoutId).first();
    await eventually(delivered, "the queued payout and its mailed report");
    expect(await seller.api.payouts.get.query({ id: payoutId })).toMatchObject({ period: "2032-06", status: "rolled_over", earningsUsd: 10, carriedOutUsd: 10, reportAvailable: true });
    expect(await env.REPORTS.head(`payouts/${seller.company.id}/${payoutId}.pdf`)).not.toBeNull();
    expect(await outbox("cron@seller.test")).toMatchObject([{ id: `payout-report:${payoutId}`, transport: "outbox", from: env.MAIL_FROM }]);
  });
});

function fetchReport(path: string, key: string) {
  return worker.fetch(new Request(`http://tessera.test${path}`, { headers: { "x-api-key": key } }), env, createExecutionContext());
}
