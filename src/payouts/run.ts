/**
 * The payout job. Each run (daily, from cron) looks at the month before
 * `now` (or the month an admin names) and, for every seller with earnings:
 *
 * 1. retries its open payouts (pending or failed, any month) first;
 * 2. records its payout for the month if it has none yet: paid at $25.00 or
 *    more (a Stripe transfer), rolled over below;
 * 3. stores and mails the report of every settled payout not yet delivered.
 *
 * A seller without a verified live Stripe account (never connected,
 * unfinished, restricted, or disconnected: frozen) is skipped and keeps its
 * balance; a later run pays it once it is verified again. Running the job
 * again, at the same time, or after a crash mid-run, pays nobody twice: a
 * month's payout has a deterministic id, a run claims it before transferring
 * (transfer.ts) and its transfer has an idempotency key derived from it. A
 * run reports only what it did: payouts it created, or claimed and settled.
 */
import { and, eq, gte, inArray, isNotNull, isNull, lt, or } from "drizzle-orm";
import type Stripe from "stripe";
import { verifiedAccounts } from "../connect/state";
import type { Db } from "../db";
import { companies, payouts, transactions } from "../db/schema";
import { newId } from "../ids";
import { planPayout, recordPayout, type Payout } from "./create";
import { deliverReport, needsDelivery } from "./deliver";
import type { Mailer } from "./mail";
import { previousMonth, type Period } from "./period";
import { transferPayout } from "./transfer";

export interface PayoutJobDeps {
  db: Db;
  stripe: Stripe;
  reports: R2Bucket;
  mailer: Mailer;
}

export interface PayoutRunResult {
  period: string;
  /** Payout ids by what happened to them in this run. */
  paid: string[];
  rolledOver: string[];
  /** Stripe refused; retried with a new attempt next run. */
  failed: string[];
  /** Outcome unknown (Stripe error or timeout); retried with the same key next run. */
  pending: string[];
  /** Sellers not paid for want of a verified Stripe account. */
  skipped: string[];
  reportsDelivered: string[];
  errors: { companyId: string; message: string }[];
}

/** Sellers with any sale or refund before `end`. */
async function sellersBefore(db: Db, end: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: transactions.sellerCompanyId })
    .from(transactions)
    .where(and(isNotNull(transactions.sellerCompanyId), inArray(transactions.kind, ["charge", "refund"]), lt(transactions.createdAt, end)));
  return rows.map((r) => r.id!).sort();
}

/** Pays `period` (default: the month before `now`, as the cron does); `now` stamps what the run records. */
export async function runPayouts(deps: PayoutJobDeps, opts: { now?: number; period?: Period } = {}): Promise<PayoutRunResult> {
  const { db } = deps;
  const now = opts.now ?? Date.now();
  const period = opts.period ?? previousMonth(now);
  const runId = newId("run");
  const result: PayoutRunResult = { period: period.key, paid: [], rolledOver: [], failed: [], pending: [], skipped: [], reportsDelivered: [], errors: [] };
  const note = (payout: Payout, outcome: string) => {
    if (outcome === "paid") result.paid.push(payout.id);
    else if (outcome === "failed") result.failed.push(payout.id);
    else if (outcome === "pending") result.pending.push(payout.id);
  };
  const guarded = async (companyId: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      console.error(`payouts: ${companyId} failed in run ${runId}`, error);
      result.errors.push({ companyId, message: error instanceof Error ? error.message : String(error) });
    }
  };

  const [sellers, open, done] = await Promise.all([
    sellersBefore(db, period.end),
    db.select().from(payouts).where(inArray(payouts.status, ["pending", "sending", "failed"])),
    // A seller with a payout for this month or a later one is done: a later month's balance took this month in.
    db.select({ companyId: payouts.companyId }).from(payouts).where(gte(payouts.period, period.key)),
  ]);
  const hasPayout = new Set(done.map((d) => d.companyId));
  const verified = await verifiedAccounts(db, [...new Set([...sellers, ...open.map((p) => p.companyId)])]);
  const skipped = new Set<string>();

  for (const payout of open) {
    const destination = verified.get(payout.companyId);
    if (!destination) {
      skipped.add(payout.companyId);
      continue;
    }
    await guarded(payout.companyId, async () => note(payout, await transferPayout(db, deps.stripe, payout, destination, runId)));
  }

  for (const companyId of sellers) {
    if (hasPayout.has(companyId)) continue;
    const destination = verified.get(companyId);
    if (!destination) {
      skipped.add(companyId);
      continue;
    }
    await guarded(companyId, async () => {
      const plan = await planPayout(db, companyId, period);
      if (!plan) return;
      const payout = await recordPayout(db, { companyId, period, plan, stripeAccountId: destination, runId, now });
      if (payout.runId !== runId) return; // another run made it; that run pays it
      if (payout.status === "rolled_over") result.rolledOver.push(payout.id);
      else note(payout, await transferPayout(db, deps.stripe, payout, destination, runId));
    });
  }
  result.skipped = [...skipped].sort();

  const undelivered = await db
    .select({ payout: payouts, company: companies })
    .from(payouts)
    .innerJoin(companies, eq(companies.id, payouts.companyId))
    .where(and(inArray(payouts.status, ["paid", "rolled_over"]), or(isNull(payouts.reportKey), isNull(payouts.mailedAt))));
  for (const { payout, company } of undelivered) {
    if (!needsDelivery(payout, company.billingEmail)) continue;
    await guarded(payout.companyId, async () => {
      const delivered = await deliverReport(deps, payout, company);
      if (delivered.stored || delivered.mailed) result.reportsDelivered.push(payout.id);
    });
  }
  return result;
}
