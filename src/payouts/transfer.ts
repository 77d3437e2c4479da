/**
 * Paying a payout: one Stripe transfer to the seller's connected account.
 *
 * A run first claims the payout (pending or failed → sending, with its run
 * id), so of several runs at once exactly one transfers it and reports it;
 * the others skip it. A claim older than `CLAIM_TIMEOUT_MS` belongs to a run
 * that died mid-transfer and may be taken over; only the current claimer's
 * outcome is recorded.
 *
 * The idempotency key is `payout:<payout id>:<attempt>`. A crash after Stripe
 * made the transfer but before D1 heard of it leaves the payout `sending`;
 * the run that takes it over sends the same key and Stripe answers with the
 * transfer it already made, so nobody is paid twice. The attempt moves on
 * only after Stripe definitely refused (a 4xx: short platform balance, an
 * account that cannot receive transfers), because Stripe replays a refusal
 * for the same key forever; then no transfer exists and a new key is safe.
 * Anything ambiguous (a 5xx, a lost connection, rate limiting) keeps the key.
 * Either way the amount stays reserved and the seller's balance intact.
 */
import { and, eq, lt, or, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "../db";
import { payouts } from "../db/schema";
import type { Payout } from "./create";
import { MICRO_PER_CENT } from "./money";

export type TransferOutcome = "paid" | "failed" | "pending" | "skipped";

/** Longer than any transfer call takes (the SDK's timeout and retries): a claim this old was abandoned. */
export const CLAIM_TIMEOUT_MS = 10 * 60_000;

/** Stripe said no, and made nothing: safe to try again with a new key. */
function definitelyRefused(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  if (error instanceof Stripe.errors.StripeIdempotencyError || error instanceof Stripe.errors.StripeRateLimitError) return false;
  const status = error.statusCode ?? 0;
  return status >= 400 && status < 500 && status !== 409 && status !== 429;
}

/**
 * Claims an open payout for `runId`: pending keeps its attempt and
 * destination; failed starts the next attempt to `destination`; sending only
 * if its claim timed out. Returns the claimed row, or null if another run has
 * it (or it settled meanwhile).
 */
async function claim(db: Db, payout: Payout, destination: string, runId: string, now: number): Promise<Payout | null> {
  const failed = payout.status === "failed";
  const [claimed] = await db
    .update(payouts)
    .set({
      status: "sending",
      claimedBy: runId,
      claimedAt: now,
      attempt: failed ? payout.attempt + 1 : payout.attempt,
      stripeAccountId: failed ? destination : sql`coalesce(${payouts.stripeAccountId}, ${destination})`,
      updatedAt: now,
    })
    .where(
      and(
        eq(payouts.id, payout.id),
        eq(payouts.attempt, payout.attempt),
        or(
          eq(payouts.status, "pending"),
          eq(payouts.status, "failed"),
          and(eq(payouts.status, "sending"), lt(payouts.claimedAt, now - CLAIM_TIMEOUT_MS)),
        ),
      ),
    )
    .returning();
  return claimed ?? null;
}

/**
 * Transfers an open payout (pending, failed, or sending with an abandoned
 * claim) to `destination`, the seller's verified account now, if `runId` can
 * claim it. "skipped" when another run has it.
 */
export async function transferPayout(db: Db, stripe: Stripe, payout: Payout, destination: string, runId: string): Promise<TransferOutcome> {
  if (payout.status !== "pending" && payout.status !== "failed" && payout.status !== "sending") return "skipped";
  const current = await claim(db, payout, destination, runId, Date.now());
  if (!current) return "skipped";
  const accountId = current.stripeAccountId ?? destination;
  const attempt = current.attempt;
  const mine = and(eq(payouts.id, current.id), eq(payouts.status, "sending"), eq(payouts.claimedBy, runId), eq(payouts.attempt, attempt));
  try {
    const transfer = await stripe.transfers.create(
      {
        amount: current.amountUsd / MICRO_PER_CENT,
        currency: "usd",
        destination: accountId,
        transfer_group: current.id,
        description: `Tessera payout ${current.period}`,
        metadata: { payout_id: current.id, company_id: current.companyId, period: current.period },
      },
      { idempotencyKey: `payout:${current.id}:${attempt}` },
    );
    const now = Date.now();
    const [paid] = await db
      .update(payouts)
      .set({ status: "paid", transferId: transfer.id, stripeAccountId: accountId, paidAt: now, updatedAt: now, failureCode: null, failureMessage: null })
      .where(mine)
      .returning({ id: payouts.id });
    // Our claim was taken over (we were too slow): the run that holds it records and reports it.
    return paid ? "paid" : "skipped";
  } catch (error) {
    const refused = definitelyRefused(error);
    const stripeError = error instanceof Stripe.errors.StripeError ? error : null;
    const [settled] = await db
      .update(payouts)
      .set({
        status: refused ? "failed" : "pending",
        failureCode: stripeError?.code ?? stripeError?.rawType ?? stripeError?.type ?? "error",
        failureMessage: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        updatedAt: Date.now(),
      })
      .where(mine)
      .returning({ id: payouts.id });
    console.warn(`payout ${current.id} attempt ${attempt} not paid (${refused ? "refused" : "ambiguous"}):`, String(error));
    if (!settled) return "skipped";
    return refused ? "failed" : "pending";
  }
}
