import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyOriginSignature } from "../../src/data/origins/sign";
import { MICRO, type Credits, type Usd } from "../../src/money";
import { wallet } from "../../src/wallet/client";
import { sale } from "../wallet/helpers";
import { crossingOf, redeliver } from "./helpers";
import { h, eventually, expectCode } from "../harness";

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What the test origin server received for this company. */
async function received(companyId: string): Promise<Received[]> {
  const response = await fetch(`${env.TEST_ORIGIN_URL}/alerts/log?q=${companyId}`);
  return (await response.json()) as Received[];
}

let n = 0;
function spend(companyId: string, credits: number) {
  return wallet(env, companyId).charge({ id: `alert_spend_${++n}_${crypto.randomUUID()}`, credits: (credits * MICRO) as Credits, sale: sale() });
}

async function alerting(credits: number, threshold: number, path = "/alerts") {
  const b = await h.buyer({ credits: credits });
  const url = `${env.TEST_ORIGIN_URL}${path}?company=${b.company.id}`;
  const set = await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: threshold, webhookUrl: url });
  expect(set.signingSecret).toMatch(/^whsec_/);
  return { ...b, url, secret: set.signingSecret! };
}

describe("low-balance alerts", () => {
  it("posts one signed alert per crossing to the company's webhook and records it", async () => {
    const b = await alerting(100, 30);
    expect(await b.api.billing.lowBalanceAlert.get.query()).toEqual({ thresholdCredits: 30, webhookUrl: b.url, lowBalanceWarning: false });

    await spend(b.company.id, 75); // 25: crosses 30
    await spend(b.company.id, 5); // 20: still below, no new alert
    const [alert, ...more] = await eventually(async () => {
      const got = await received(b.company.id);
      return got.length > 0 ? got : null;
    }, "the alert");
    expect(more).toEqual([]);

    const body = JSON.parse(alert!.body);
    expect(body).toMatchObject({ type: "credits.low_balance", company_id: b.company.id, threshold_credits: 30, available_credits: 25 });
    expect(alert!.headers["x-tessera-event"]).toBe("credits.low_balance");
    const signed = { method: "POST", pathAndQuery: alert!.path, body: alert!.body };
    expect(await verifyOriginSignature(b.secret, alert!.headers["x-tessera-signature"]!, signed)).toBe(true);
    expect(await verifyOriginSignature("whsec_wrong", alert!.headers["x-tessera-signature"]!, signed)).toBe(false);

    const history = await eventually(async () => {
      const h = (await b.api.billing.lowBalanceAlert.history.query()).items;
      return h[0]?.status === "delivered" ? h : null;
    }, "the delivery record");
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ id: body.id, status: "delivered", httpStatus: 200, attempts: 1, availableCredits: 25 });
    expect((await b.api.billing.lowBalanceAlert.get.query()).lowBalanceWarning).toBe(true);
    expect(await received(b.company.id)).toHaveLength(1);

    // Back above, then below again: a second crossing, a second alert.
    await wallet(env, b.company.id).deposit({ id: `top_up_${b.company.id}`, kind: "grant", credits: (50 * MICRO) as Credits, usdPerCredit: 500_000 as Usd });
    await spend(b.company.id, 45); // 70 → 25
    await eventually(async () => (await received(b.company.id)).length === 2, "the second alert");
    expect((await b.api.billing.lowBalanceAlert.history.query()).items.map((a) => a.availableCredits)).toEqual([25, 25]);
  });

  it("a webhook that fails is retried, then recorded as failed", async () => {
    const b = await alerting(50, 30, "/alerts/down");
    await spend(b.company.id, 25);
    await eventually(async () => (await b.api.billing.lowBalanceAlert.history.query()).items[0]?.attempts === 1, "the first attempt");
    const [pending] = (await b.api.billing.lowBalanceAlert.history.query()).items;
    expect(pending).toMatchObject({ status: "pending", httpStatus: 503 });
    // The queue redelivers the crossing after a growing delay; here, at once.
    const crossing = crossingOf(b.company.id, Number(pending!.id.split("_").at(-1)), "low_balance", 30 * MICRO, 25 * MICRO);
    expect((await redeliver(crossing, 2)).retryDelays).toEqual([60]);
    expect((await redeliver(crossing, 3)).explicitAcks).toEqual(["again-3"]);
    const [alert] = (await b.api.billing.lowBalanceAlert.history.query()).items;
    expect(alert).toMatchObject({ status: "failed", attempts: 3, httpStatus: 503 });
    expect(alert!.error).toMatch(/503/);
    expect(await received(b.company.id)).toHaveLength(3);
    expect((await wallet(env, b.company.id).crossings()).pending).toEqual([]);
  });

  it("without a webhook URL nothing is sent; the threshold still sets the warning", async () => {
    const b = await alerting(100, 30);
    const off = await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 40, webhookUrl: null });
    expect(off).toEqual({ thresholdCredits: 40, webhookUrl: null, signingSecret: null });
    expect((await wallet(env, b.company.id).crossings()).watches.low_balance).toBeNull();
    await spend(b.company.id, 70);
    expect((await wallet(env, b.company.id).crossings()).pending).toEqual([]);
    expect(await b.api.billing.lowBalanceAlert.get.query()).toEqual({ thresholdCredits: 40, webhookUrl: null, lowBalanceWarning: true });
    expect(await received(b.company.id)).toEqual([]);
  });

  it("keeps the signing secret unless asked to rotate it", async () => {
    const b = await alerting(10, 5);
    expect((await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 6, webhookUrl: b.url })).signingSecret).toBeNull();
    const rotated = await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 6, webhookUrl: b.url, rotateSecret: true });
    expect(rotated.signingSecret).toMatch(/^whsec_/);
    expect(rotated.signingSecret).not.toBe(b.secret);
  });

  it("refuses a URL that is not https (or this machine in development) and a bad threshold", async () => {
    const b = await h.buyer({ credits: 10 });
    await expectCode(b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: "http://example.com/hook" }), "BAD_REQUEST");
    await expectCode(b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: "not a url" }), "BAD_REQUEST");
    await expectCode(b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: "https://user:pw@example.com/hook" }), "BAD_REQUEST");
    await expectCode(b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: -1, webhookUrl: "https://example.com/hook" }), "INVALID_AMOUNT");
    expect((await b.api.billing.lowBalanceAlert.get.query()).webhookUrl).toBeNull();
  });
});
