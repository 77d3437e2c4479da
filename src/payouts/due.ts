/**
 * Which sellers the payout job has work for in `period`, in a fixed number
 * of queries however many sellers there are (the fan-out's producer runs it
 * once; each seller then gets a message of its own):
 *
 * - sellers with an open payout (pending, sending or failed, any month);
 * - sellers with no payout for `period` or a later month whose payout would
 *   record something: a sale or refund in the month, or a balance of at
 *   least $25 (the same rule as `planPayout`, from the same rollups);
 * - sellers with a settled payout whose report is not yet stored or mailed.
 *
 * Of the first two kinds, sellers without a verified live Stripe account are
 * `skipped` (frozen): nothing is sent for them, and they keep their balance.
 */
import { and, eq, gt, gte, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { allVerifiedAccounts } from "../connect/state";
import type { Db } from "../db";
import { companies, payouts, sellerEarningsMonths, sellerEarningsTotals } from "../db/schema";
import { RESERVING } from "./create";
import { MINIMUM_PAYOUT_USD } from "./money";
import type { Period } from "./period";

export interface DueSellers {
  /** Sorted company ids. */
  due: string[];
  skipped: string[];
}

export async function dueSellers(db: Db, period: Period): Promise<DueSellers> {
  const [totals, later, soldIn, reserved, open, done, undelivered, verified] = await Promise.all([
    db.select({ id: sellerEarningsTotals.sellerCompanyId, earned: sellerEarningsTotals.earningsUsd }).from(sellerEarningsTotals),
    // Summed here, not grouped in SQL, so the read is a range of the (period, seller) index: the months since, not all of them.
    db
      .select({ id: sellerEarningsMonths.sellerCompanyId, earned: sellerEarningsMonths.earningsUsd })
      .from(sellerEarningsMonths)
      .where(gt(sellerEarningsMonths.period, period.key)),
    db.selectDistinct({ id: sellerEarningsMonths.sellerCompanyId }).from(sellerEarningsMonths).where(eq(sellerEarningsMonths.period, period.key)),
    db
      .select({ id: payouts.companyId, amount: sql<number>`sum(${payouts.amountUsd})` })
      .from(payouts)
      .where(inArray(payouts.status, RESERVING))
      .groupBy(payouts.companyId),
    db.selectDistinct({ id: payouts.companyId }).from(payouts).where(inArray(payouts.status, ["pending", "sending", "failed"])),
    db.selectDistinct({ id: payouts.companyId }).from(payouts).where(gte(payouts.period, period.key)),
    // Not stored, or not mailed to an address it has. The first term is the partial index
    // payouts_undelivered's, and the status is checked below, so this reads that index only.
    db
      .select({ id: payouts.companyId, status: payouts.status })
      .from(payouts)
      .innerJoin(companies, eq(companies.id, payouts.companyId))
      .where(and(or(isNull(payouts.reportKey), isNull(payouts.mailedAt)), or(isNull(payouts.reportKey), isNotNull(companies.billingEmail)))),
    allVerifiedAccounts(db),
  ]);
  const laterBy = new Map<string, number>();
  for (const row of later) laterBy.set(row.id, (laterBy.get(row.id) ?? 0) + row.earned);
  const reservedBy = new Map(reserved.map((row) => [row.id, Number(row.amount)]));
  const sold = new Set(soldIn.map((row) => row.id));
  const settled = new Set(done.map((row) => row.id));
  const work = new Set(open.map((row) => row.id));
  for (const { id, earned } of totals) {
    if (settled.has(id)) continue;
    const balance = earned - (laterBy.get(id) ?? 0) - (reservedBy.get(id) ?? 0);
    if (sold.has(id) || balance >= MINIMUM_PAYOUT_USD) work.add(id);
  }
  const due = new Set(undelivered.filter((row) => row.status === "paid" || row.status === "rolled_over").map((row) => row.id));
  const skipped: string[] = [];
  for (const id of work) {
    if (verified.has(id)) due.add(id);
    else skipped.push(id);
  }
  return { due: [...due].sort(), skipped: skipped.sort() };
}
