import { sha256Hex } from "../crypto";
import { randomToken } from "../ids";

/**
 * Key secrets look like `tsk_<40 base62>`; the first 12 characters are the
 * prefix shown back to people. Only the SHA-256 of the whole secret is stored.
 */
export const keyKinds = {
  company: "tsk",
  endpoint: "tse",
} as const;

export function newKeySecret(kind: keyof typeof keyKinds): string {
  return `${keyKinds[kind]}_${randomToken(40)}`;
}

export function keyPrefix(secret: string): string {
  return secret.slice(0, 12);
}

export function hashKey(secret: string): Promise<string> {
  return sha256Hex(secret);
}
