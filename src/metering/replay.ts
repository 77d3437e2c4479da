/**
 * `Idempotency-Key` on metered calls. The claim and the stored answer live in
 * the buyer's wallet (src/wallet/replays.ts), written in the same transaction
 * as the charge; an answer too large for the wallet is put in R2 (REPLAYS)
 * before anything is charged, so a billed call's answer is always there to
 * replay. Records and bodies last 24 hours.
 */
import { sha256Hex } from "../crypto";
import { TesseraError } from "../errors";
import type { ReplayScope, StoredAnswer } from "../wallet/types";
import { MAX_INLINE_REPLAY_CHARS } from "../wallet/validate-call";
import type { Billing } from "./billing";

export function readIdempotencyKey(header: string | undefined | null): string | undefined {
  if (header === undefined || header === null) return undefined;
  if (!/^[\w.:-]{1,255}$/.test(header)) {
    throw new TesseraError("BAD_REQUEST", "Idempotency-Key must be 1 to 255 letters, digits or . _ : -");
  }
  return header;
}

/** The buyer's key scoped to the key that sent it, and what the call asked for. */
export function replayScope(keyId: string, idempotencyKey: string, requestHash: string): ReplayScope {
  return { scope: `${keyId}:${idempotencyKey}`, requestHash };
}

/** Where a finished call's answer is kept: in the wallet when small, else in R2 first. */
export async function storeAnswer(replays: R2Bucket, companyId: string, scope: ReplayScope, status: number, body: string): Promise<StoredAnswer> {
  if (body.length <= MAX_INLINE_REPLAY_CHARS) return { status, body };
  const bodyRef = `replays/${companyId}/${await sha256Hex(scope.scope)}`;
  await replays.put(bodyRef, body, { httpMetadata: { contentType: "application/json" } });
  return { status, bodyRef };
}

/** A stored answer given again: the same body, but this request itself is not billed. */
export async function replayBody<T extends { billing: Billing }>(replays: R2Bucket, answer: StoredAnswer): Promise<T> {
  let text = answer.body;
  if (text === undefined) {
    const object = answer.bodyRef ? await replays.get(answer.bodyRef) : null;
    if (!object) throw new TesseraError("CONFLICT", "The answer stored for this Idempotency-Key has expired; use a new key.");
    text = await object.text();
  }
  const body = JSON.parse(text) as T;
  body.billing = { ...body.billing, billed: false, credits: 0, replayed: true };
  return body;
}
