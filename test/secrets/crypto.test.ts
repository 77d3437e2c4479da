import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { currentSecretsKey, openSecret, sealedWith, sealSecret } from "../../src/crypto";
import { TesseraError } from "../../src/errors";

const randomKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const ring = (current: string, keys: Record<string, string>) => ({ SECRETS_KEYS: JSON.stringify({ current, keys }) });
const testKey = JSON.parse(env.SECRETS_KEYS).keys.test as string;

async function failure(promise: Promise<unknown>): Promise<TesseraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TesseraError);
  return error as TesseraError;
}

describe("sealed secrets (AES-256-GCM, keyed by SECRETS_KEYS)", () => {
  it("stores something that is not the secret, names its key, and opens to the secret", async () => {
    const sealed = await sealSecret(env, "tos_the_secret", "data_sources.secret:src_1");
    expect(sealed).toMatch(/^sealed:v1:test:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("the_secret");
    expect(sealedWith(sealed)).toBe("test");
    expect(await openSecret(env, sealed, "data_sources.secret:src_1")).toBe("tos_the_secret");
    // A fresh IV each time: the same secret never seals to the same text.
    expect(await sealSecret(env, "tos_the_secret", "data_sources.secret:src_1")).not.toBe(sealed);
  });

  it("is bound to its row: copied to another row, or edited, it does not open", async () => {
    const sealed = await sealSecret(env, "tos_the_secret", "data_sources.secret:src_1");
    expect((await failure(openSecret(env, sealed, "data_sources.secret:src_2"))).message).toMatch(/does not open/);
    const edited = sealed.slice(0, -2) + (sealed.at(-2) === "A" ? "B" : "A") + sealed.slice(-1);
    expect((await failure(openSecret(env, edited, "data_sources.secret:src_1"))).code).toBe("INTERNAL");
  });

  it("rotates: old keys still open what they sealed, new values use the current key", async () => {
    const old = await sealSecret(env, "whsec_old", "ctx");
    const rotated = ring("next", { test: testKey, next: randomKey() });
    expect(await currentSecretsKey(rotated)).toBe("next");
    expect(await openSecret(rotated, old, "ctx")).toBe("whsec_old");
    const fresh = await sealSecret(rotated, "whsec_new", "ctx");
    expect(sealedWith(fresh)).toBe("next");
    expect(await openSecret(rotated, fresh, "ctx")).toBe("whsec_new");

    // Once the old key is dropped, what it sealed fails, saying which key is missing.
    const dropped = ring("next", { next: JSON.parse(rotated.SECRETS_KEYS).keys.next });
    const error = await failure(openSecret(dropped, old, "ctx"));
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toContain('key "test"');
  });

  it("fails clearly without a key ring, or with a malformed one", async () => {
    const missing = await failure(sealSecret({ SECRETS_KEYS: undefined as unknown as string }, "x", "ctx"));
    expect(missing.code).toBe("INTERNAL");
    expect(missing.message).toMatch(/^SECRETS_KEYS is not set/);
    const sealed = await sealSecret(env, "x", "ctx");
    expect((await failure(openSecret({ SECRETS_KEYS: "" }, sealed, "ctx"))).message).toMatch(/^SECRETS_KEYS is not set/);

    const malformed: [string, RegExp][] = [
      ["not json", /not JSON/],
      [JSON.stringify({ current: "a" }), /"keys"/],
      [JSON.stringify({ current: "b", keys: { a: randomKey() } }), /"current"/],
      [JSON.stringify({ current: "a", keys: { a: btoa("too short") } }), /exactly 32 bytes/],
      [JSON.stringify({ current: "a", keys: { a: "%%%" } }), /exactly 32 bytes/],
      [JSON.stringify({ current: "a:b", keys: { "a:b": randomKey() } }), /key id/],
    ];
    for (const [raw, why] of malformed) {
      const error = await failure(sealSecret({ SECRETS_KEYS: raw }, "x", "ctx"));
      expect([raw, error.code, error.message]).toEqual([raw, "INTERNAL", expect.stringMatching(why)]);
    }
  });

  it("passes a value stored before sealing through unchanged, until it is resealed", async () => {
    expect(sealedWith("tos_plain")).toBeNull();
    expect(await openSecret(env, "tos_plain", "ctx")).toBe("tos_plain");
  });
});
