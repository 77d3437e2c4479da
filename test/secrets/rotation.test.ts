import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { alertSecretContext } from "../../src/billing/alerts";
import { openSecret } from "../../src/crypto";
import { clientWithEnv, fetchWithEnv } from "../worker-env";
import { expectSignedWith, signedOriginEndpoint, storedAlertSecret, storedOriginSecret } from "./helpers";
import { h, adminKey, BASE } from "../harness";

const testKey = JSON.parse(env.SECRETS_KEYS).keys.test as string;
const nextKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const keys = (current: string, ring: Record<string, string>) => ({ SECRETS_KEYS: JSON.stringify({ current, keys: ring }) });

describe("rotating SECRETS_KEYS", () => {
  it("add a key and make it current, reseal, then the old key can go", async () => {
    const { origin, endpointId, key, buyer } = await signedOriginEndpoint();
    const { signingSecret } = await buyer.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: "https://hooks.example.com/t" });
    expect(await storedOriginSecret(origin.id)).toMatch(/^sealed:v1:test:/);

    // 1. Both keys, the new one current: old values still open, new ones use "next".
    // (Changing a secret deploys a new version, so no worker holds a value read under
    // the old key ring; here one isolate plays every version, so each step calls an
    // origin the previous steps did not read.)
    const both = keys("next", { test: testKey, next: nextKey });
    const other = await signedOriginEndpoint();
    await expectSignedWith(other.endpointId, other.key, other.origin.secret, fetchWithEnv(both));
    const made = await clientWithEnv(both, other.seller.key).dataSources.createOrigin.mutate({ name: "New", url: "https://data.example.com/rows" });
    expect(await storedOriginSecret(made.id)).toMatch(/^sealed:v1:next:/);

    // 2. Reseal: every stored secret moves to "next", the secrets themselves unchanged.
    const resealed = await clientWithEnv(both, await adminKey()).admin.resealSecrets.mutate();
    expect(resealed.keyId).toBe("next");
    expect(resealed.originSecrets).toBeGreaterThanOrEqual(2);
    expect(resealed.alertSecrets).toBeGreaterThanOrEqual(1);
    expect(await storedOriginSecret(origin.id)).toMatch(/^sealed:v1:next:/);
    const alertStored = await storedAlertSecret(buyer.company.id);
    expect(alertStored).toMatch(/^sealed:v1:next:/);

    // 3. Drop the old key: everything still opens, and signs as before.
    const onlyNext = keys("next", { next: nextKey });
    await expectSignedWith(endpointId, key, origin.secret, fetchWithEnv(onlyNext));
    expect(await openSecret(onlyNext, alertStored, alertSecretContext(buyer.company.id))).toBe(signingSecret);

    // A worker still holding only the old key fails clearly, naming the key it lacks, and bills nothing.
    const before = (await buyer.api.credits.balance.query()).availableCredits;
    const res = await fetchWithEnv(keys("test", { test: testKey }))(`${BASE}/v1/endpoints/${endpointId}`, { headers: { "x-api-key": key } });
    const body = (await res.json()) as any;
    expect([res.status, body.error.code, body.billing.billed]).toEqual([500, "INTERNAL", false]);
    expect(body.error.message).toContain('sealed with key "next", which SECRETS_KEYS no longer holds');
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(before);
  });
});
