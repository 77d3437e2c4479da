import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { idempotentResponses } from "../db/schema";
import { TesseraError } from "../errors";
import { wallet } from "../wallet/client";
import type { Billing } from "./meter";

/** A claim older than this whose request never finished may be taken over. */
const STALE_MS = 60_000;
const PENDING = 0;

export type Claim =
  | { kind: "new" }
  | { kind: "replay"; status: number; body: string }
  /** An earlier attempt billed but died before saving its response: run again, free. */
  | { kind: "paid" };

export interface IdempotencyScope {
  keyId: string;
  idempotencyKey: string;
  /** What the request asked for: the same key with other parameters is a CONFLICT. */
  requestHash: string;
  /** This attempt's request id. */
  requestId: string;
  buyerCompanyId: string;
}

export function readIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\w.:-]{1,255}$/.test(header)) {
    throw new TesseraError("BAD_REQUEST", "Idempotency-Key must be 1 to 255 letters, digits or . _ : -");
  }
  return header;
}

/**
 * Claims an Idempotency-Key for one attempt, as Stripe does: the first request
 * inserts a pending row and runs; a retry of a finished request replays its
 * response; a retry while the first is still running is a CONFLICT.
 */
export async function claim(db: Db, env: Env, scope: IdempotencyScope): Promise<Claim> {
  const now = Date.now();
  const inserted = await db
    .insert(idempotentResponses)
    .values({
      keyId: scope.keyId,
      idempotencyKey: scope.idempotencyKey,
      requestHash: scope.requestHash,
      requestId: scope.requestId,
      status: PENDING,
      body: "",
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ keyId: idempotentResponses.keyId });
  if (inserted.length) return { kind: "new" };

  const existing = await db.query.idempotentResponses.findFirst({ where: whereScope(scope) });
  if (!existing) return claim(db, env, scope); // abandoned between our insert and read
  if (existing.requestHash !== scope.requestHash) {
    throw new TesseraError("CONFLICT", "This Idempotency-Key was used with other parameters.");
  }
  if (existing.status !== PENDING) return { kind: "replay", status: existing.status, body: existing.body };
  if (now - existing.createdAt < STALE_MS) {
    throw new TesseraError("CONFLICT", "A request with this Idempotency-Key is still in progress.");
  }
  // Take over the stale claim; if that attempt was billed, this one must not be.
  const taken = await db
    .update(idempotentResponses)
    .set({ requestId: scope.requestId, createdAt: now })
    .where(and(whereScope(scope), eq(idempotentResponses.requestId, existing.requestId)))
    .returning({ keyId: idempotentResponses.keyId });
  if (!taken.length) throw new TesseraError("CONFLICT", "A request with this Idempotency-Key is still in progress.");
  const hold = await wallet(env, scope.buyerCompanyId).getHold(existing.requestId).catch(() => null);
  return hold?.status === "committed" ? { kind: "paid" } : { kind: "new" };
}

/** Saves the finished response for replays. */
export async function complete(db: Db, scope: IdempotencyScope, status: number, body: string): Promise<void> {
  await db.update(idempotentResponses).set({ status, body }).where(whereScope(scope));
}

/** Frees the key after a failed attempt, so a retry runs again (failures were not billed). */
export async function abandon(db: Db, scope: IdempotencyScope): Promise<void> {
  await db
    .delete(idempotentResponses)
    .where(and(whereScope(scope), eq(idempotentResponses.requestId, scope.requestId)));
}

function whereScope(scope: IdempotencyScope) {
  return and(eq(idempotentResponses.keyId, scope.keyId), eq(idempotentResponses.idempotencyKey, scope.idempotencyKey));
}

/** A stored answer given again: the same body, but this request itself is not billed. */
export function replayed<T extends { billing: Billing }>(storedBody: string): T {
  const body = JSON.parse(storedBody) as T;
  body.billing = { ...body.billing, billed: false, credits: 0, replayed: true };
  return body;
}
