import { sha256Hex, timingSafeEqual } from "../crypto";
import { TesseraError } from "../errors";
import { randomToken } from "../ids";

/**
 * Key secrets look like `tsk_<32 random base62><8 check digits>`; the first
 * 12 characters are the prefix shown back to people. Only the SHA-256 of the
 * whole secret is stored.
 *
 * The check digits are an HMAC of the rest, keyed by the KEY_SECRET secret,
 * so a key Tessera never issued (a typo, a guess, a flood of junk) is refused
 * by arithmetic before any lookup: trying keys costs the shared database
 * nothing. KEY_SECRET must never change, or every key stops working.
 */
export const keyKinds = {
  company: "tsk",
  endpoint: "tse",
} as const;

const BODY = 32;
const CHECK = 8;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SHAPE = new RegExp(`^(${Object.values(keyKinds).join("|")})_[0-9A-Za-z]{${BODY + CHECK}}$`);

let macKey: { secret: string; key: Promise<CryptoKey> } | undefined;

function hmacKey(keySecret: string | undefined): Promise<CryptoKey> {
  if (!keySecret) throw new TesseraError("INTERNAL", "KEY_SECRET is not set: API keys can be neither made nor checked.");
  if (macKey?.secret !== keySecret) {
    const key = crypto.subtle.importKey("raw", new TextEncoder().encode(keySecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    macKey = { secret: keySecret, key };
  }
  return macKey.key;
}

async function checkDigits(keySecret: string | undefined, head: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(keySecret), new TextEncoder().encode(head)));
  let out = "";
  for (let i = 0; i < CHECK; i++) out += ALPHABET[mac[i]! % 62];
  return out;
}

export async function newKeySecret(kind: keyof typeof keyKinds, keySecret: string | undefined): Promise<string> {
  const head = `${keyKinds[kind]}_${randomToken(BODY)}`;
  return `${head}${await checkDigits(keySecret, head)}`;
}

/** Whether `secret` has the shape and check digits of a key Tessera issued (it may still be unknown or revoked). */
export async function isIssuedKey(secret: string, keySecret: string | undefined): Promise<boolean> {
  if (!SHAPE.test(secret)) return false;
  const head = secret.slice(0, -CHECK);
  return timingSafeEqual(secret.slice(-CHECK), await checkDigits(keySecret, head));
}

export function keyPrefix(secret: string): string {
  return secret.slice(0, 12);
}

export function hashKey(secret: string): Promise<string> {
  return sha256Hex(secret);
}
