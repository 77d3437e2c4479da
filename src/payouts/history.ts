import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../db";
import { payoutLines, payouts } from "../db/schema";
import { TesseraError } from "../errors";
import type { Payout, PayoutLine } from "./create";
import { dollars } from "./money";

/** The seller's payouts, newest month first. Page with `beforePeriod` = the last one's period. */
export async function listPayouts(db: Db, companyId: string, { limit, beforePeriod }: { limit: number; beforePeriod?: string | undefined }): Promise<Payout[]> {
  return db
    .select()
    .from(payouts)
    .where(and(eq(payouts.companyId, companyId), beforePeriod ? lt(payouts.period, beforePeriod) : undefined))
    .orderBy(desc(payouts.period))
    .limit(limit);
}

/** One of the seller's payouts with its line items; anyone else's is NOT_FOUND. */
export async function getPayout(db: Db, companyId: string, id: string): Promise<{ payout: Payout; lines: PayoutLine[] }> {
  const payout = await db.query.payouts.findFirst({ where: and(eq(payouts.id, id), eq(payouts.companyId, companyId)) });
  if (!payout) throw new TesseraError("NOT_FOUND", `No payout ${id}.`);
  const lines = await db.select().from(payoutLines).where(eq(payoutLines.payoutId, id)).orderBy(desc(payoutLines.earningsUsd), asc(payoutLines.productId));
  return { payout, lines };
}

/** A month's payouts by status (sending counts as pending, as sellers see it): count and dollars. */
export async function monthSummary(db: Db, period: string) {
  const rows = await db
    .select({ status: payouts.status, count: sql<number>`count(*)`, amount: sql<number>`coalesce(sum(${payouts.amountUsd}), 0)`, carried: sql<number>`coalesce(sum(${payouts.carriedOutUsd}), 0)` })
    .from(payouts)
    .where(eq(payouts.period, period))
    .groupBy(payouts.status);
  const byStatus = { paid: 0, rolled_over: 0, pending: 0, failed: 0 };
  let paidUsd = 0;
  let carriedUsd = 0;
  for (const row of rows) {
    byStatus[row.status === "sending" ? "pending" : row.status] += Number(row.count);
    if (row.status === "paid") paidUsd += Number(row.amount);
    carriedUsd += Number(row.carried);
  }
  return { period, payouts: byStatus, paidUsd: dollars(paidUsd), carriedOutUsd: dollars(carriedUsd) };
}
