/**
 * One seller's payout work for one month: what one queue message does
 * (queue.ts).
 *
 * 1. Its open payouts (pending, failed, or sending with an abandoned claim,
 *    any month) are transferred again.
 * 2. Unless it has a payout for the month or a later one, the month's payout
 *    is planned from the rollups and recorded: paid at $25.00 or more (a
 *    Stripe transfer of the whole cents), rolled over below.
 * 3. The reports of its settled payouts not yet stored or mailed are.
 *
 * A seller without a verified live Stripe account (never connected,
 * unfinished, restricted or disconnected: frozen) gets only step 3 and keeps
 * its balance. Safe to repeat and to run twice at once: the month's payout
 * has a deterministic id and is recorded only if nothing changed since it
 * was planned, a transfer is claimed before it is sent and has an
 * idempotency key, and a report's mail has an id. About 14 D1 queries
 * whatever the seller's history (see test/payouts/fanout.test.ts).
 */
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { getCompany } from "../companies/service";
import { liveAccount, statusOf } from "../connect/state";
import { payouts } from "../db/schema";
import { planPayout, recordPayout, reservedBy, type Payout } from "./create";
import { deliverReport, needsDelivery } from "./deliver";
import type { Period } from "./period";
import type { Services } from "../services";
import { transferPayout, type TransferOutcome } from "./transfer";

/** The part of the services paying a seller uses. */
export type PayoutJobDeps = Pick<Services, "db" | "stripe" | "reports" | "mailer">;

/** What one run did for one seller: payout ids by outcome. */
export interface SellerOutcome {
  paid: string[];
  rolledOver: string[];
  /** Stripe refused; retried with a new attempt by a later run. */
  failed: string[];
  /** Outcome unknown (Stripe error or timeout); retried with the same key by a later run. */
  pending: string[];
  /** True when the seller has no verified Stripe account (nothing was paid). */
  skipped: boolean;
  reportsDelivered: string[];
}

const OPEN: Payout["status"][] = ["pending", "sending", "failed"];

export async function paySeller(deps: PayoutJobDeps, companyId: string, period: Period, runId: string, now = Date.now()): Promise<SellerOutcome> {
  const { db } = deps;
  const outcome: SellerOutcome = { paid: [], rolledOver: [], failed: [], pending: [], skipped: false, reportsDelivered: [] };
  const note = (payout: Payout, result: TransferOutcome) => {
    if (result === "paid" || result === "failed" || result === "pending") outcome[result].push(payout.id);
  };
  const [account, existing] = await Promise.all([liveAccount(db, companyId), db.select().from(payouts).where(eq(payouts.companyId, companyId))]);
  const destination = statusOf(account) === "verified" ? account!.id : null;

  if (!destination) {
    outcome.skipped = true;
  } else {
    for (const payout of existing) {
      if (OPEN.includes(payout.status)) note(payout, await transferPayout(db, deps.stripe, payout, destination, runId));
    }
    // A payout for this month or a later one exists: that later month's balance took this month in.
    if (!existing.some((payout) => payout.period >= period.key)) {
      // Retrying open payouts moved none of their amounts: what they reserve is as read.
      const plan = await planPayout(db, companyId, period, reservedBy(existing));
      const payout = plan ? await recordPayout(db, { companyId, period, plan, stripeAccountId: destination, runId, now }) : null;
      // Made by another run (or not at all: something changed since planning): that run reports it.
      if (payout && payout.runId === runId) {
        if (payout.status === "rolled_over") outcome.rolledOver.push(payout.id);
        else note(payout, await transferPayout(db, deps.stripe, payout, destination, runId));
      }
    }
  }

  await deliverReports(deps, companyId, outcome);
  return outcome;
}

/** Stores and mails the reports of the seller's settled payouts that still need it. */
async function deliverReports(deps: PayoutJobDeps, companyId: string, outcome: SellerOutcome): Promise<void> {
  const settled = await deps.db
    .select()
    .from(payouts)
    .where(and(eq(payouts.companyId, companyId), inArray(payouts.status, ["paid", "rolled_over"]), or(isNull(payouts.reportKey), isNull(payouts.mailedAt))));
  if (settled.length === 0) return;
  const company = await getCompany(deps.db, companyId);
  for (const payout of settled) {
    if (!needsDelivery(payout, company.billingEmail)) continue;
    const delivered = await deliverReport(deps, payout, company);
    if (delivered.stored || delivered.mailed) outcome.reportsDelivered.push(payout.id);
  }
}
