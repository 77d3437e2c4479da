import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { h, books, eventually, rest } from "../harness";

describe("metered requests under real concurrency", () => {
  it("serves exactly what the balance covers out of 300 parallel requests", async () => {
    // $0.50 = 1 credit a request; 120 credits cover 120 requests.
    const { endpoint, buyer, key } = await h.listedEndpoint({ rows: 50, priceUsd: "0.50", buyerCredits: 120 });
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => rest(`/v1/endpoints/${endpoint.id}?page_size=${1 + (i % 5)}`, { key })),
    );
    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status !== 200);
    expect(ok).toHaveLength(120);
    expect(ok.every((r) => r.body.billing.billed === true && r.body.billing.credits === 1)).toBe(true);
    expect(refused).toHaveLength(180);
    expect(refused.every((r) => r.status === 402 && r.body.error.code === "INSUFFICIENT_CREDITS" && r.body.billing.billed === false)).toBe(true);

    const { balance, audit, charges } = await books(buyer.company.id);
    expect(balance).toMatchObject({ balance: 0, held: 0, available: 0 });
    expect(audit.ok).toBe(true);
    expect(charges).toEqual({ n: 120, total: -120_000_000 });
    // No double charge: every billed request id is one ledger entry, and the log agrees.
    const billedIds = new Set(ok.map((r) => r.body.billing.request_id));
    expect(billedIds.size).toBe(120);
    await eventually(async () => {
      const log = await env.DB.prepare("SELECT count(*) AS n, sum(billed) AS billed, sum(credits) AS credits FROM request_logs WHERE company_id = ?")
        .bind(buyer.company.id)
        .first<{ n: number; billed: number; credits: number }>();
      expect(log).toEqual({ n: 300, billed: 120, credits: 120_000_000 });
    });
    const { results } = await env.DB.prepare("SELECT operation_id FROM transactions WHERE company_id = ? AND kind = 'charge'")
      .bind(buyer.company.id)
      .all<{ operation_id: string }>();
    expect(new Set(results.map((r) => r.operation_id))).toEqual(billedIds);
  });
});
