/**
 * Paying a payout: one Stripe transfer to the seller's connected account.
 *
 * The idempotency key is `payout:<payout id>:<attempt>`. A crash after Stripe
 * made the transfer but before D1 heard of it leaves the payout `pending`;
 * the next run sends the same key and Stripe answers with the transfer it
 * already made, so nobody is paid twice. The attempt moves on only after
 * Stripe definitely refused (a 4xx: short platform balance, an account that
 * cannot receive transfers), because Stripe replays a refusal for the same
 * key forever; then no transfer exists and a new key is safe. Anything
 * ambiguous (a 5xx, a lost connection, rate limiting) keeps the key.
 * Either way the amount stays reserved and the seller's balance intact.
 */
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "../db";
import { payouts } from "../db/schema";
import type { Payout } from "./create";
import { MICRO_PER_CENT } from "./money";

export type TransferOutcome = "paid" | "failed" | "pending" | "skipped";

/** Stripe said no, and made nothing: safe to try again with a new key. */
function definitelyRefused(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  if (error instanceof Stripe.errors.StripeIdempotencyError || error instanceof Stripe.errors.StripeRateLimitError) return false;
  const status = error.statusCode ?? 0;
  return status >= 400 && status < 500 && status !== 409 && status !== 429;
}

/**
 * Transfers an open payout (pending or failed) to `destination`, the
 * seller's verified account now. A pending payout keeps the destination and
 * key of its attempt; a failed one starts a new attempt to `destination`.
 */
export async function transferPayout(db: Db, stripe: Stripe, payout: Payout, destination: string): Promise<TransferOutcome> {
  let current = payout;
  if (current.status === "failed") {
    // Claim the next attempt; if another run got there first, leave it to that run.
    const [claimed] = await db
      .update(payouts)
      .set({ status: "pending", attempt: current.attempt + 1, stripeAccountId: destination, updatedAt: Date.now() })
      .where(and(eq(payouts.id, current.id), eq(payouts.status, "failed"), eq(payouts.attempt, current.attempt)))
      .returning();
    if (!claimed) return "skipped";
    current = claimed;
  }
  if (current.status !== "pending") return "skipped";
  const accountId = current.stripeAccountId ?? destination;
  const attempt = current.attempt;
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
    await db
      .update(payouts)
      .set({ status: "paid", transferId: transfer.id, stripeAccountId: accountId, paidAt: now, updatedAt: now, failureCode: null, failureMessage: null })
      .where(and(eq(payouts.id, current.id), eq(payouts.status, "pending")));
    return "paid";
  } catch (error) {
    const refused = definitelyRefused(error);
    const stripeError = error instanceof Stripe.errors.StripeError ? error : null;
    await db
      .update(payouts)
      .set({
        status: refused ? "failed" : "pending",
        failureCode: stripeError?.code ?? stripeError?.rawType ?? stripeError?.type ?? "error",
        failureMessage: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        updatedAt: Date.now(),
      })
      .where(and(eq(payouts.id, current.id), eq(payouts.status, "pending"), eq(payouts.attempt, attempt)));
    console.warn(`payout ${current.id} attempt ${attempt} not paid (${refused ? "refused" : "ambiguous"}):`, String(error));
    return refused ? "failed" : "pending";
  }
}
