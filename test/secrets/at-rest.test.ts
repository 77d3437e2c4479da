import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { errorCode } from "../../client/src";
import { verifyOriginSignature } from "../../src/data";
import { MICRO, type Credits } from "../../src/money";
import { wallet } from "../../src/wallet/client";
import { sale } from "../wallet/helpers";
import { clientWithEnv, fetchWithEnv } from "../worker-env";
import { endpointOver, expectSignedWith, signedOriginEndpoint, storedAlertSecret, storedOriginSecret } from "./helpers";
import { h, adminKey, BASE, client, eventually, expectCode } from "../harness";

const SEALED_WITH_TEST = /^sealed:v1:test:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/;

async function alertsReceived(companyId: string) {
  const response = await fetch(`${env.TEST_ORIGIN_URL}/alerts/log?q=${companyId}`);
  return (await response.json()) as { path: string; headers: Record<string, string>; body: string }[];
}

describe("origin signing secrets at rest", () => {
  it("are stored sealed, not as the secret, and the calls still carry the seller's signature", async () => {
    const { origin, endpointId, key } = await signedOriginEndpoint();
    const stored = await storedOriginSecret(origin.id);
    expect(stored).toMatch(SEALED_WITH_TEST);
    expect(stored).not.toContain(origin.secret.slice(4));
    await expectSignedWith(endpointId, key, origin.secret);
  });
});

describe("low-balance webhook signing secrets at rest", () => {
  it("are stored sealed, not as the secret, and the alerts still verify", async () => {
    const b = await h.buyer({ credits: 100 });
    const url = `${env.TEST_ORIGIN_URL}/alerts?company=${b.company.id}`;
    const { signingSecret } = await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 30, webhookUrl: url });
    const stored = await storedAlertSecret(b.company.id);
    expect(stored).toMatch(SEALED_WITH_TEST);
    expect(stored).not.toContain(signingSecret!.slice(6));

    // Updating without rotating keeps the secret (resealed, so a new text), and alerts verify with it.
    await b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 30, webhookUrl: url });
    expect(await storedAlertSecret(b.company.id)).not.toBe(stored);
    await wallet(env, b.company.id).charge({ id: `at_rest_${b.company.id}`, credits: (80 * MICRO) as Credits, sale: sale() });
    const [alert] = await eventually(async () => {
      const got = await alertsReceived(b.company.id);
      return got.length ? got : null;
    }, "the alert");
    const signed = { method: "POST", pathAndQuery: alert!.path, body: alert!.body };
    expect(await verifyOriginSignature(signingSecret!, alert!.headers["x-tessera-signature"]!, signed)).toBe(true);
  });
});

describe("rows stored before secrets were sealed", () => {
  it("keep working, and admin.resealSecrets seals them in place (once)", async () => {
    // An origin and an alert setting as an older Tessera stored them: the secret itself.
    const s = await h.seller();
    const sourceId = `src_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
    await env.DB.prepare(
      "INSERT INTO data_sources (id, company_id, kind, name, url, secret, timeout_ms, created_at) VALUES (?, ?, 'origin', 'Old', ?, 'tos_stored_in_the_clear', 5000, ?)",
    )
      .bind(sourceId, s.company.id, `${env.TEST_ORIGIN_URL}/signed`, Date.now())
      .run();
    const endpointId = await endpointOver(s, sourceId);
    const buyer = await h.buyer({ credits: 100 });
    const key = (await buyer.api.marketplace.endpoints.key.mutate({ id: endpointId })).secret!;
    await env.DB.prepare("INSERT INTO low_balance_alert_settings (company_id, webhook_url, signing_secret, updated_at) VALUES (?, ?, 'whsec_in_the_clear', ?)")
      .bind(buyer.company.id, `${env.TEST_ORIGIN_URL}/alerts?company=${buyer.company.id}`, Date.now())
      .run();
    await expectSignedWith(endpointId, key, "tos_stored_in_the_clear");

    const admin = client(await adminKey());
    const first = await admin.admin.resealSecrets.mutate();
    expect(first.keyId).toBe("test");
    expect(first.originSecrets).toBeGreaterThanOrEqual(1);
    expect(first.alertSecrets).toBeGreaterThanOrEqual(1);
    expect(await storedOriginSecret(sourceId)).toMatch(SEALED_WITH_TEST);
    expect(await storedAlertSecret(buyer.company.id)).toMatch(SEALED_WITH_TEST);
    expect(await admin.admin.resealSecrets.mutate()).toEqual({ keyId: "test", originSecrets: 0, alertSecrets: 0 });

    // Same secrets, now sealed: the seller's check and the buyer's alert still verify.
    await expectSignedWith(endpointId, key, "tos_stored_in_the_clear");
    await wallet(env, buyer.company.id).watch("low_balance", (30 * MICRO) as Credits);
    await wallet(env, buyer.company.id).charge({ id: `reseal_${buyer.company.id}`, credits: (80 * MICRO) as Credits, sale: sale() });
    const [alert] = await eventually(async () => {
      const got = await alertsReceived(buyer.company.id);
      return got.length ? got : null;
    }, "the alert");
    const signed = { method: "POST", pathAndQuery: alert!.path, body: alert!.body };
    expect(await verifyOriginSignature("whsec_in_the_clear", alert!.headers["x-tessera-signature"]!, signed)).toBe(true);
  });

  it("only a platform admin may reseal", async () => {
    const b = await h.buyer({ credits: 0 });
    await expectCode(b.api.admin.resealSecrets.mutate(), "FORBIDDEN");
  });
});

describe("without SECRETS_KEYS", () => {
  const unset = { SECRETS_KEYS: undefined };

  it("a new origin or webhook secret is refused with a clear error, and nothing is stored", async () => {
    const s = await h.seller();
    const error = await clientWithEnv(unset, s.key).dataSources.createOrigin.mutate({ name: "X", url: "https://data.example.com/rows" }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe("INTERNAL");
    expect((error as Error).message).toMatch(/^SECRETS_KEYS is not set/);
    expect((await s.api.dataSources.list.query()).items).toEqual([]);

    const b = await h.buyer({ credits: 0 });
    const alert = await clientWithEnv(unset, b.key).billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: "https://hooks.example.com/t" }).catch((e: unknown) => e);
    expect(errorCode(alert)).toBe("INTERNAL");
    expect((alert as Error).message).toMatch(/^SECRETS_KEYS is not set/);
    expect((await b.api.billing.lowBalanceAlert.get.query()).webhookUrl).toBeNull();
  });

  it("a call over a sealed origin fails clearly and is not billed", async () => {
    const { endpointId, key, buyer } = await signedOriginEndpoint();
    const before = (await buyer.api.credits.balance.query()).availableCredits;
    const res = await fetchWithEnv(unset)(`${BASE}/v1/endpoints/${endpointId}`, { headers: { "x-api-key": key } });
    const body = (await res.json()) as any;
    expect([res.status, body.error.code]).toEqual([500, "INTERNAL"]);
    expect(body.error.message).toMatch(/^SECRETS_KEYS is not set/);
    expect(body.billing.billed).toBe(false);
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(before);
  });
});
