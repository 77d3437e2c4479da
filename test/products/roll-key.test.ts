/**
 * Rolling an endpoint key: the old key stops on the next request and a new
 * one, shown once, works at once with the old one's spending caps.
 */
import { describe, expect, it } from "vitest";
import { h, expectCode, rest } from "../harness";

const page = (endpointId: string, key: string) => rest(`/v1/endpoints/${endpointId}?page_size=1`, { key });

describe("marketplace.endpoints.rollKey", () => {
  it("revokes the old key and issues a new one with the same caps, in one step", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 20 });
    const [old] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    await buyer.api.keys.setCaps.mutate({ keyId: old!.id, perDayCredits: 3 });

    const rolled = await buyer.api.marketplace.endpoints.rollKey.mutate({ keyId: old!.id });
    expect(rolled.id).not.toBe(old!.id);
    expect(rolled.secret).toMatch(/^tse_/);
    expect(rolled.endpointId).toBe(endpoint.id);

    expect((await page(endpoint.id, key)).body.error.code).toBe("KEY_REVOKED");
    expect((await page(endpoint.id, rolled.secret!)).status).toBe(200);
    const keys = (await buyer.api.marketplace.endpoints.keys.query()).items;
    expect(keys.map((k) => [k.id, k.revokedAt === null])).toEqual([
      [rolled.id, true],
      [old!.id, false],
    ]);
    expect(keys[0]!.usage).toMatchObject({ caps: { perDayCredits: 3, perMonthCredits: null, totalCredits: null }, spentCredits: { day: 1 } });
    // The cap came along: 3 credits a day, 1 spent on the new key.
    expect((await page(endpoint.id, rolled.secret!)).status).toBe(200);
    expect((await page(endpoint.id, rolled.secret!)).status).toBe(200);
    expect((await page(endpoint.id, rolled.secret!)).body.error.code).toBe("BUDGET_EXCEEDED");
  });

  it("a revoked key has nothing to roll, and another company's key is NOT_FOUND", async () => {
    const { buyer } = await h.listedEndpoint({ priceUsd: "0.50", buyerCredits: 5 });
    const [mine] = (await buyer.api.marketplace.endpoints.keys.query()).items;
    const stranger = await h.buyer({ name: "Key Thief Co" });
    await expectCode(stranger.api.marketplace.endpoints.rollKey.mutate({ keyId: mine!.id }), "NOT_FOUND");
    await buyer.api.marketplace.endpoints.revokeKey.mutate({ keyId: mine!.id });
    await expectCode(buyer.api.marketplace.endpoints.rollKey.mutate({ keyId: mine!.id }), "CONFLICT");
  });
});
