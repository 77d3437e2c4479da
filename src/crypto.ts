/** Small WebCrypto helpers shared by keys, sessions, signatures and ids. */
import { TesseraError } from "./errors";

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Constant-time comparison of two strings (a token, a signature). */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}

/*
 * Secrets Tessera must keep readable (origin signing secrets, low-balance
 * webhook signing secrets) are stored sealed with AES-256-GCM:
 *   sealed:v1:<key id>:<iv, base64url>:<ciphertext and tag, base64url>
 * The keys come from the SECRETS_KEYS secret,
 *   { "current": "<key id>", "keys": { "<key id>": "<base64 of 32 bytes>", ... } }
 * New values are sealed with `current`; any key still listed opens old ones,
 * so a key is rotated by adding a new one, making it current, resealing
 * (admin.resealSecrets) and only then removing the old one. `context` (the
 * table, column and row a value belongs to) is bound in as associated data,
 * so a sealed value copied to another row does not open.
 */

export type SecretsEnv = Pick<Env, "SECRETS_KEYS">;

type Keyring = { current: string; keys: Map<string, CryptoKey> };

const SEALED = /^sealed:v1:([A-Za-z0-9_-]{1,40}):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;
const keyrings = new Map<string, Promise<Keyring>>();

/** Seals `plaintext` with the current key. */
export async function sealSecret(env: SecretsEnv, plaintext: string, context: string): Promise<string> {
  const ring = await keyring(env);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
    ring.keys.get(ring.current)!,
    new TextEncoder().encode(plaintext),
  );
  return `sealed:v1:${ring.current}:${base64url(iv)}:${base64url(new Uint8Array(sealed))}`;
}

/**
 * Opens a stored value. A value that isn't sealed is a row from before
 * secrets were sealed and is returned as it is, until `admin.resealSecrets`
 * has sealed it (src/data/origins/README.md).
 */
export async function openSecret(env: SecretsEnv, stored: string, context: string): Promise<string> {
  const match = SEALED.exec(stored);
  if (!match) return stored;
  const [, kid, iv, data] = match as unknown as [string, string, string, string];
  const key = (await keyring(env)).keys.get(kid);
  if (!key) {
    throw new TesseraError("INTERNAL", `A stored secret is sealed with key "${kid}", which SECRETS_KEYS no longer holds. Put that key back.`);
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64url(iv), additionalData: new TextEncoder().encode(context) },
      key,
      fromBase64url(data),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new TesseraError("INTERNAL", `A stored secret sealed with key "${kid}" does not open: the key or the value was changed.`);
  }
}

/** The key id a stored value is sealed with; null for a value stored before sealing. */
export function sealedWith(stored: string): string | null {
  return SEALED.exec(stored)?.[1] ?? null;
}

/** The key id new values are sealed with. */
export async function currentSecretsKey(env: SecretsEnv): Promise<string> {
  return (await keyring(env)).current;
}

function keyring(env: SecretsEnv): Promise<Keyring> {
  const raw = env.SECRETS_KEYS;
  if (!raw) {
    return Promise.reject(
      new TesseraError("INTERNAL", 'SECRETS_KEYS is not set: it must be {"current":"<key id>","keys":{"<key id>":"<base64 of 32 random bytes>"}} (wrangler secret put SECRETS_KEYS).'),
    );
  }
  let ring = keyrings.get(raw);
  if (!ring) {
    ring = importKeyring(raw);
    ring.catch(() => keyrings.delete(raw));
    keyrings.set(raw, ring);
  }
  return ring;
}

async function importKeyring(raw: string): Promise<Keyring> {
  const bad = (why: string) => new TesseraError("INTERNAL", `SECRETS_KEYS is malformed: ${why}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw bad("not JSON");
  }
  const { current, keys } = (parsed ?? {}) as { current?: unknown; keys?: unknown };
  if (typeof keys !== "object" || keys === null || Array.isArray(keys)) throw bad('"keys" must map key ids to keys');
  if (typeof current !== "string" || !Object.hasOwn(keys, current)) throw bad('"current" must name one of "keys"');
  const imported = new Map<string, CryptoKey>();
  for (const [kid, value] of Object.entries(keys)) {
    if (!KEY_ID.test(kid)) throw bad(`key id "${kid.slice(0, 40)}" must be 1 to 40 letters, digits, - or _`);
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(atob(String(value)), (c) => c.charCodeAt(0));
    } catch {
      bytes = new Uint8Array();
    }
    if (bytes.length !== 32) throw bad(`key "${kid}" must be the base64 of exactly 32 bytes`);
    imported.set(kid, await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  return { current, keys: imported };
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
}
