import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { errorCode } from "../../client/src";
import { sendLowBalanceAlert } from "../../src/billing/alerts";
import { MICRO, type Credits } from "../../src/money";
import { services } from "../../src/services";
import { wallet } from "../../src/wallet/client";
import { productionClient, productionEnv, REFUSED, refusedText } from "../ssrf";
import { sale } from "../wallet/helpers";
import { h, eventually } from "../harness";

/**
 * A buyer company must not get Tessera to POST to internal hosts through its
 * low-balance webhook: refused when the URL is set, and again when an alert
 * is sent (a settings row stored before the rules is never contacted).
 */
describe("billing.lowBalanceAlert.set refuses internal destinations", () => {
  let api: ReturnType<typeof productionClient>;
  beforeAll(async () => {
    api = productionClient((await h.buyer({ credits: 0, name: "Probing Buyer" })).key);
  });

  it.each(REFUSED)("%s", async (url) => {
    const error = await api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: url }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe("BAD_REQUEST");
    expect((error as Error).message).toBe(refusedText("webhook URL"));
  });

  it("stored nothing, and still accepts a public webhook", async () => {
    expect((await api.billing.lowBalanceAlert.get.query()).webhookUrl).toBeNull();
    const set = await api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: "https://hooks.example.com/tessera" });
    expect(set.webhookUrl).toBe("https://hooks.example.com/tessera");
  });

  it("ALLOW_INSECURE_ORIGINS (local tests only) lets in this machine, nothing else internal", async () => {
    const b = await h.buyer({ credits: 0, name: "Local Buyer" });
    for (const [url, , loopback] of REFUSED) {
      const outcome = await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: url }).then(
        () => "accepted",
        (e: Error) => e.message,
      );
      expect([url, outcome]).toEqual([url, loopback ? "accepted" : refusedText("webhook URL")]);
    }
  });
});

describe("an alert whose stored URL is internal is refused when sent", () => {
  afterEach(() => vi.restoreAllMocks());

  async function storedAlert(url: string) {
    const b = await h.buyer({ credits: 0, name: "Old Row Buyer" });
    await env.DB.prepare("INSERT INTO low_balance_alert_settings (company_id, webhook_url, signing_secret, updated_at) VALUES (?, ?, 'whsec_legacy', ?)")
      .bind(b.company.id, url, Date.now())
      .run();
    return b;
  }

  it.each(REFUSED)("%s is never contacted; the alert fails at once with the fixed message", async (url) => {
    const b = await storedAlert(url);
    const sent = vi.spyOn(globalThis, "fetch");
    const crossing = { id: `${b.company.id}:1`, companyId: b.company.id, watch: "low_balance" as const, threshold: (5 * MICRO) as Credits, available: 0 as Credits, at: Date.now(), attempt: 0 };
    expect(await sendLowBalanceAlert(services(productionEnv), crossing)).toBeUndefined(); // no retry
    expect(sent).not.toHaveBeenCalled();
    const [alert] = (await productionClient(b.key).billing.lowBalanceAlert.history.query()).items;
    expect(alert).toMatchObject({ status: "failed", attempts: 1, httpStatus: null, error: refusedText("webhook URL") });
  });

  it("through the wallet's alarm, as a real crossing sends it", async () => {
    const b = await h.buyer({ credits: 100, name: "Crossing Buyer" });
    await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 30, webhookUrl: `${env.TEST_ORIGIN_URL}/alerts?company=${b.company.id}` });
    await env.DB.prepare("UPDATE low_balance_alert_settings SET webhook_url = ? WHERE company_id = ?")
      .bind("https://169.254.169.254/latest/meta-data/", b.company.id)
      .run();
    await wallet(env, b.company.id).charge({ id: `ssrf_spend_${b.company.id}`, credits: (80 * MICRO) as Credits, sale: sale() });
    const [alert] = await eventually(async () => {
      const history = (await b.api.billing.lowBalanceAlert.history.query()).items;
      return history[0]?.status === "failed" ? history : null;
    }, "the refused alert");
    expect(alert).toMatchObject({ status: "failed", attempts: 1, httpStatus: null, error: refusedText("webhook URL") });
  });
});
