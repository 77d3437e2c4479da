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
import { getTableColumns, sql } from "drizzle-orm";
import type { Db } from "../db";
import { payoutLines, payouts, type PayoutStatus } from "../db/schema";
import { earnedThrough, earningsByProduct, type ProductEarnings } from "./earnings";
import { MICRO_PER_CENT, MINIMUM_PAYOUT_USD, transferableCents } from "./money";
import type { Period } from "./period";
import type { Usd } from "../money";

export type Payout = typeof payouts.$inferSelect;
export type PayoutLine = typeof payoutLines.$inferSelect;

/** Payouts whose amount has left, or is leaving, the seller's balance. */
export const RESERVING: PayoutStatus[] = ["pending", "sending", "failed", "paid"];

/** The sum of the amounts `payouts` (one seller's) reserve. */
export function reservedBy(payouts: Payout[]): number {
  return payouts.filter((p) => RESERVING.includes(p.status)).reduce((sum, p) => sum + p.amountUsd, 0);
}

export function payoutId(period: Period, companyId: string): string {
  return `po_${period.key}_${companyId}`;
}

export interface PayoutPlan {
  earningsUsd: number;
  carriedInUsd: number;
  amountUsd: number;
  carriedOutUsd: number;
  /** What the seller's other payouts reserved when this was planned. */
  reservedUsd: number;
  lines: ProductEarnings[];
}

/**
 * What the seller is owed for `period` as of now, given `reservedUsd` (what
 * its payouts reserve). Null when there is nothing to record: no sale or
 * refund in the month and a balance under the minimum (a sub-cent
 * remainder, say), which simply stays carried without a monthly statement
 * saying so. Two queries, over the seller's products, whatever its history.
 */
export async function planPayout(db: Db, companyId: string, period: Period, reservedUsd: number): Promise<PayoutPlan | null> {
  const [earned, lines] = await Promise.all([earnedThrough(db, companyId, period), earningsByProduct(db, companyId, period.start, period.end)]);
  const balance = earned - reservedUsd;
  if (lines.length === 0 && balance < MINIMUM_PAYOUT_USD) return null;
  const earningsUsd = lines.reduce((sum, line) => sum + line.earningsUsd, 0);
  const amountUsd = balance >= MINIMUM_PAYOUT_USD ? transferableCents(balance as Usd) * MICRO_PER_CENT : 0;
  return { earningsUsd, carriedInUsd: balance - earningsUsd, amountUsd, carriedOutUsd: balance - amountUsd, reservedUsd, lines };
}

/**
 * Records the payout and its line items in one batch, only if nothing
 * changed since it was planned: no payout for this month or a later one
 * exists, and the seller's payouts still reserve `plan.reservedUsd` (two
 * runs for different months at once can never both count the same
 * earnings). Line items go in only with the row this run created. Returns
 * the payout as stored (possibly another run's), or null if none was.
 */
export async function recordPayout(
  db: Db,
  input: { companyId: string; period: Period; plan: PayoutPlan; stripeAccountId: string; runId: string; now: number },
): Promise<Payout | null> {
  const { companyId, period, plan, runId, now } = input;
  const id = payoutId(period, companyId);
  const row: Payout = {
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
    transferId: null,
    attempt: 1,
    failureCode: null,
    failureMessage: null,
    reportKey: null,
    mailedAt: null,
    runId,
    claimedBy: null,
    claimedAt: null,
    createdAt: now,
    updatedAt: now,
    paidAt: null,
  };
  // Every column in table order, as `INSERT ... SELECT` needs them.
  const values = sql.join(
    Object.keys(getTableColumns(payouts)).map((key) => sql`${row[key as keyof Payout]}`),
    sql`, `,
  );
  const reserving = sql.join(RESERVING.map((status) => sql`${status}`), sql`, `);
  const insert = db
    .insert(payouts)
    .select(
      sql`SELECT ${values}
          WHERE NOT EXISTS (SELECT 1 FROM payouts WHERE company_id = ${companyId} AND period >= ${period.key})
            AND (SELECT coalesce(sum(amount_usd), 0) FROM payouts WHERE company_id = ${companyId} AND status IN (${reserving})) = ${plan.reservedUsd}`,
    )
    .onConflictDoNothing()
    .returning();
  const lineStatements = plan.lines.map((line) =>
    db
      .insert(payoutLines)
      .select(
        sql`SELECT ${id}, ${line.productId}, ${line.productType}, ${line.name}, ${line.sales}, ${line.refunds}, ${line.earningsUsd}
            WHERE EXISTS (SELECT 1 FROM payouts WHERE id = ${id} AND run_id = ${runId})`,
      )
      .onConflictDoNothing(),
  );
  const [inserted] = await db.batch([insert, ...lineStatements]);
  if (inserted[0]) return inserted[0];
  return (await db.query.payouts.findFirst({ where: (p, { eq }) => eq(p.id, id) })) ?? null;
}
