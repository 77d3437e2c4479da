import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { Db } from "../db";
import { payoutLines, payouts } from "../db/schema";
import { TesseraError } from "../errors";
import type { Payout, PayoutLine } from "./create";

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
