import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { isIssuedKey, newKeySecret } from "../../src/auth/keys";
import { h, client, expectCode, rest } from "../harness";

/** The same key with its last check digit changed. */
function forged(secret: string): string {
  const last = secret.at(-1)!;
  return secret.slice(0, -1) + (last === "a" ? "b" : "a");
}

describe("API keys carry check digits: keys Tessera never issued are refused without a lookup", () => {
  it("accepts the keys it makes and nothing near them", async () => {
    const secret = await newKeySecret("endpoint", env.KEY_SECRET);
    expect(secret).toMatch(/^tse_[0-9A-Za-z]{40}$/);
    expect(await isIssuedKey(secret, env.KEY_SECRET)).toBe(true);
    expect(await isIssuedKey(forged(secret), env.KEY_SECRET)).toBe(false);
    expect(await isIssuedKey(secret, "another secret")).toBe(false);
    expect(await isIssuedKey(`${secret}x`, env.KEY_SECRET)).toBe(false);
    expect(await isIssuedKey("tse_notakey", env.KEY_SECRET)).toBe(false);
  });

  it("refuses a forged endpoint key or API key as UNAUTHORIZED, unbilled, and never reads D1 for it", async () => {
    const { endpoint, buyer, key } = await h.listedEndpoint({ buyerCredits: 10 });
    const prepare = vi.spyOn(env.DB, "prepare");
    const page = await rest(`/v1/endpoints/${endpoint.id}`, { key: forged(key) });
    expect(page.status).toBe(401);
    expect(page.body).toMatchObject({ error: { code: "UNAUTHORIZED" }, billing: { billed: false } });
    const run = await rest(`/v1/assets/ast_x/executions`, { key: forged(buyer.key), method: "POST", body: "{}" });
    expect(run.body.error.code).toBe("UNAUTHORIZED");
    // (The feed may be copying the grant into D1 meanwhile; no statement reads a key.)
    expect(prepare.mock.calls.map(([sql]) => sql).filter((sql) => /keys/.test(sql))).toEqual([]);
    prepare.mockRestore();
    await expectCode(client(forged(buyer.key)).credits.balance.query(), "UNAUTHORIZED");
    expect((await buyer.api.credits.balance.query()).availableCredits).toBe(10);
  });

  it("tells a client that keeps sending junk keys to stop (429), still with no lookup", async () => {
    const { endpoint, key } = await h.listedEndpoint({ buyerCredits: 10 });
    const from = { "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250)}` };
    const statuses: number[] = [];
    for (let i = 0; i < 65; i++) statuses.push((await rest(`/v1/endpoints/${endpoint.id}`, { key: forged(key), headers: from })).status);
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(60)).toEqual([429, 429, 429, 429, 429]);
    // The real key from another client address is unaffected.
    expect((await rest(`/v1/endpoints/${endpoint.id}`, { key, headers: { "cf-connecting-ip": "198.51.100.7" } })).status).toBe(200);
  });
});
