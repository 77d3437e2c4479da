/**
 * Working out one seller's payout for one month, and recording it.
 *
 * The seller's balance at the month's end is everything it earned before
 * then minus what earlier payouts took (paid, or still being paid: pending
 * and failed payouts keep their amount reserved so no later month pays it
 * again). That balance covers the month's earnings plus whatever carried in:
 * earlier rollovers, sub-cent remainders, refunds beyond earnings, and
 * entries that reached D1 after their month was paid. At $25.00 or more its
 * whole cents are transferred and the sub-cent remainder carries forward;
 * below, all of it rolls over. Nothing is ever rounded away.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db";
import { payoutLines, payouts, type PayoutStatus } from "../db/schema";
import { earnedBefore, earningsByProduct, payoutTotal, type ProductEarnings } from "./earnings";
import { MICRO_PER_CENT, MINIMUM_PAYOUT_USD, transferableCents } from "./money";
import type { Period } from "./period";
import type { Usd } from "../money";

export type Payout = typeof payouts.$inferSelect;
export type PayoutLine = typeof payoutLines.$inferSelect;

/** Payouts whose amount has left, or is leaving, the seller's balance. */
export const RESERVING: PayoutStatus[] = ["pending", "sending", "failed", "paid"];

export function payoutId(period: Period, companyId: string): string {
  return `po_${period.key}_${companyId}`;
}

export interface PayoutPlan {
  earningsUsd: number;
  carriedInUsd: number;
  amountUsd: number;
  carriedOutUsd: number;
  lines: ProductEarnings[];
}

/**
 * What the seller is owed for `period` as of now. Null when there is nothing
 * to record: no sale or refund in the month and a balance under the minimum
 * (a sub-cent remainder, say), which simply stays carried without a monthly
 * statement saying so.
 */
export async function planPayout(db: Db, companyId: string, period: Period): Promise<PayoutPlan | null> {
  const [earned, reserved, lines] = await Promise.all([
    earnedBefore(db, companyId, period.end),
    payoutTotal(db, companyId, RESERVING),
    earningsByProduct(db, companyId, period.start, period.end),
  ]);
  const balance = earned - reserved;
  if (lines.length === 0 && balance < MINIMUM_PAYOUT_USD) return null;
  const earningsUsd = lines.reduce((sum, line) => sum + line.earningsUsd, 0);
  const amountUsd = balance >= MINIMUM_PAYOUT_USD ? transferableCents(balance as Usd) * MICRO_PER_CENT : 0;
  return { earningsUsd, carriedInUsd: balance - earningsUsd, amountUsd, carriedOutUsd: balance - amountUsd, lines };
}

/**
 * Records the payout and its line items in one batch. The id is
 * deterministic per seller and month, so a second run finds the first one's
 * row instead of making another; line items go in only with the row this
 * run created. Returns the payout as stored (possibly another run's).
 */
export async function recordPayout(
  db: Db,
  input: { companyId: string; period: Period; plan: PayoutPlan; stripeAccountId: string; runId: string; now: number },
): Promise<Payout> {
  const { companyId, period, plan, runId, now } = input;
  const id = payoutId(period, companyId);
  const lineStatements = plan.lines.map((line) =>
    db
      .insert(payoutLines)
      .select(
        sql`SELECT ${id}, ${line.productId}, ${line.productType}, ${line.name}, ${line.sales}, ${line.refunds}, ${line.earningsUsd}
            WHERE EXISTS (SELECT 1 FROM payouts WHERE id = ${id} AND run_id = ${runId})`,
      )
      .onConflictDoNothing(),
  );
  await db.batch([
    db
      .insert(payouts)
      .values({
        id,
        companyId,
        period: period.key,
        periodStart: period.start,
        periodEnd: period.end,
        status: plan.amountUsd > 0 ? "pending" : "rolled_over",
        earningsUsd: plan.earningsUsd,
        carriedInUsd: plan.carriedInUsd,
        amountUsd: plan.amountUsd,
        carriedOutUsd: plan.carriedOutUsd,
        stripeAccountId: plan.amountUsd > 0 ? input.stripeAccountId : null,
        runId,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing(),
    ...lineStatements,
  ]);
  const stored = await db.query.payouts.findFirst({ where: eq(payouts.id, id) });
  if (!stored) throw new Error(`payout ${id} vanished after insert`);
  return stored;
}
