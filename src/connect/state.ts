/**
 * A seller's Connect state, read from D1, and the one statement that derives
 * `companies.can_sell` from it. Every change of a connect account runs that
 * statement in the same D1 batch, so `can_sell` can never disagree with the
 * live account: true only while the company has a live (not disconnected)
 * account that Stripe reports with details submitted and payouts enabled.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db";
import { companies, connectAccounts } from "../db/schema";

export type ConnectAccount = typeof connectAccounts.$inferSelect;

/** none: never connected. incomplete: onboarding unfinished or Stripe restricted payouts. */
export type ConnectStatus = "none" | "incomplete" | "verified" | "disconnected";

export function statusOf(account: ConnectAccount | undefined): ConnectStatus {
  if (!account) return "none";
  if (account.disconnectedAt !== null) return "disconnected";
  return account.detailsSubmitted && account.payoutsEnabled ? "verified" : "incomplete";
}

/** The company's live account, if any. */
export async function liveAccount(db: Db, companyId: string): Promise<ConnectAccount | undefined> {
  return db.query.connectAccounts.findFirst({
    where: and(eq(connectAccounts.companyId, companyId), isNull(connectAccounts.disconnectedAt)),
  });
}

/** The live account, or else the newest disconnected one (for status). */
export async function latestAccount(db: Db, companyId: string): Promise<ConnectAccount | undefined> {
  return (
    (await liveAccount(db, companyId)) ??
    db.query.connectAccounts.findFirst({
      where: eq(connectAccounts.companyId, companyId),
      orderBy: [desc(connectAccounts.createdAt)],
    })
  );
}

/** Sets `can_sell` from the live account; put it in the same batch as the change. */
export function syncCanSell(db: Db, companyId: string) {
  return db
    .update(companies)
    .set({
      canSell: sql`coalesce((
        SELECT details_submitted = 1 AND payouts_enabled = 1 FROM connect_accounts
        WHERE company_id = ${companyId} AND disconnected_at IS NULL
      ), 0)`,
    })
    .where(eq(companies.id, companyId));
}

/** Every company whose live account is verified, with that account: one query, for the payout job's fan-out. */
export async function allVerifiedAccounts(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: connectAccounts.id, companyId: connectAccounts.companyId })
    .from(connectAccounts)
    .where(and(isNull(connectAccounts.disconnectedAt), eq(connectAccounts.detailsSubmitted, true), eq(connectAccounts.payoutsEnabled, true)));
  return new Map(rows.map((row) => [row.companyId, row.id]));
}
