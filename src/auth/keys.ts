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

export async function hashKey(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Constant-time comparison of two strings of equal length (for the admin token). */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}
