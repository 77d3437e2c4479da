/**
 * Disputes: a buyer contests one billed transaction (a `charge` entry of its
 * ledger); a platform admin reviews it beside the request log entry behind
 * it and resolves it once: rejected, or refunded.
 *
 * A refund is a `refund` deposit into the buyer's wallet of exactly the
 * credits charged, carrying the original sale: the seller's share counts
 * negative in its earnings, so the next payout is smaller by exactly that
 * share (or the balance carries negative until sales cover it). The deposit's
 * id is derived from the dispute, and the dispute is claimed (`refunding`)
 * before the wallet moves, so a retry or a second admin can never refund
 * twice or resolve one dispute two ways.
 */
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { disputes, transactions, type DisputeStatus } from "../db/schema";
import { fieldError, TesseraError } from "../errors";
import { pastKey } from "../paging";
import { newId } from "../ids";
import { asCredits, asUsd } from "../money";
import type { Services } from "../services";

export type Dispute = typeof disputes.$inferSelect;
/** What a dispute needs of the charge it contests, from D1's copy of the ledger or from the wallet. */
type Charge = Pick<
  typeof transactions.$inferSelect,
  "id" | "operationId" | "productId" | "productType" | "sellerCompanyId" | "amount" | "grossUsd" | "sellerShareUsd" | "platformFeeUsd" | "usdPerCredit"
>;

export interface DisputeTarget {
  /** The ledger entry id of the charge, as in the buyer's transaction history. */
  transactionId?: string | undefined;
  /** The request id a metered response showed (`billing.request_id`). */
  requestId?: string | undefined;
}

async function findCharge(db: Db, buyerCompanyId: string, target: DisputeTarget): Promise<Charge | undefined> {
  const which = target.transactionId !== undefined ? eq(transactions.id, target.transactionId) : eq(transactions.operationId, target.requestId ?? "");
  return db.query.transactions.findFirst({
    where: and(which, eq(transactions.companyId, buyerCompanyId), eq(transactions.kind, "charge")),
  });
}

/** Opens a dispute on one of the buyer's billed transactions. One dispute per transaction, ever. */
export async function openDispute(s: Services, buyerCompanyId: string, target: DisputeTarget, reason: string): Promise<Dispute> {
  const { db } = s;
  // Just billed, D1's copy of the entry may still be on its way: the buyer's own wallet has it.
  const charge: Charge | null = (await findCharge(db, buyerCompanyId, target)) ?? (await s.wallet(buyerCompanyId).charged(target));
  const label = target.transactionId ?? target.requestId;
  // Both refusals are about the id the buyer gave, so they name its field.
  const field = target.transactionId !== undefined ? "transactionId" : "requestId";
  if (!charge || !charge.productId || !charge.productType || !charge.sellerCompanyId || charge.sellerShareUsd === null || charge.grossUsd === null || charge.platformFeeUsd === null) {
    throw fieldError("NOT_FOUND", field, `No billed transaction ${label} of your company.`);
  }
  const dispute: Dispute = {
    id: newId("dsp"),
    buyerCompanyId,
    transactionId: charge.id,
    requestId: charge.operationId,
    productId: charge.productId,
    productType: charge.productType,
    sellerCompanyId: charge.sellerCompanyId,
    credits: -charge.amount,
    grossUsd: charge.grossUsd,
    sellerShareUsd: charge.sellerShareUsd,
    platformFeeUsd: charge.platformFeeUsd,
    usdPerCredit: charge.usdPerCredit,
    reason,
    status: "open",
    resolutionNote: null,
    refundEntryId: null,
    resolvedBy: null,
    createdAt: Date.now(),
    resolvedAt: null,
  };
  const inserted = await db.insert(disputes).values(dispute).onConflictDoNothing().returning({ id: disputes.id });
  if (inserted.length === 0) {
    const prior = await db.query.disputes.findFirst({ where: eq(disputes.transactionId, charge.id), columns: { id: true, status: true } });
    throw fieldError("CONFLICT", field, `Transaction ${charge.id} is already disputed (${prior?.id}, ${prior?.status}).`);
  }
  return dispute;
}

export async function getDispute(db: Db, id: string, buyerCompanyId?: string): Promise<Dispute> {
  const where = buyerCompanyId === undefined ? eq(disputes.id, id) : and(eq(disputes.id, id), eq(disputes.buyerCompanyId, buyerCompanyId));
  const dispute = await db.query.disputes.findFirst({ where });
  if (!dispute) throw new TesseraError("NOT_FOUND", `No dispute ${id}.`);
  return dispute;
}

export async function listDisputes(
  db: Db,
  filter: { status?: DisputeStatus | undefined; buyerCompanyId?: string | undefined; sellerCompanyId?: string | undefined },
  page: { limit: number; after?: readonly [number, string] | undefined },
): Promise<Dispute[]> {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(disputes.status, filter.status));
  if (filter.buyerCompanyId) where.push(eq(disputes.buyerCompanyId, filter.buyerCompanyId));
  if (filter.sellerCompanyId) where.push(eq(disputes.sellerCompanyId, filter.sellerCompanyId));
  const past = pastKey("desc", [disputes.createdAt, disputes.id], page.after);
  if (past) where.push(past);
  return db
    .select()
    .from(disputes)
    .where(and(...where))
    .orderBy(desc(disputes.createdAt), desc(disputes.id))
    .limit(page.limit);
}

export type Outcome = "refunded" | "rejected";

/**
 * Resolves a dispute. Repeating the same outcome returns the dispute as
 * resolved (finishing an interrupted refund); the other outcome is CONFLICT.
 */
export async function resolveDispute(
  s: Services,
  input: { id: string; outcome: Outcome; note: string | null; resolvedBy: string },
): Promise<Dispute> {
  const { db } = s;
  const target: DisputeStatus = input.outcome === "rejected" ? "rejected" : "refunding";
  const [claimed] = await db
    .update(disputes)
    .set({ status: target, resolutionNote: input.note, resolvedBy: input.resolvedBy, ...(target === "rejected" ? { resolvedAt: Date.now() } : {}) })
    .where(and(eq(disputes.id, input.id), eq(disputes.status, "open")))
    .returning();
  const dispute = claimed ?? (await getDispute(db, input.id));
  const sameWay = input.outcome === "rejected" ? dispute.status === "rejected" : dispute.status === "refunding" || dispute.status === "refunded";
  if (!sameWay) throw new TesseraError("CONFLICT", `Dispute ${dispute.id} is already ${dispute.status}.`);
  if (dispute.status !== "refunding") return dispute;

  const entry = await s.wallet(dispute.buyerCompanyId).deposit({
    id: `refund:${dispute.id}`,
    kind: "refund",
    credits: asCredits(dispute.credits),
    reason: `Refund of ${dispute.transactionId} (dispute ${dispute.id})`,
    sale: {
      productId: dispute.productId,
      productType: dispute.productType,
      sellerCompanyId: dispute.sellerCompanyId,
      grossUsd: asUsd(dispute.grossUsd),
      sellerShareUsd: asUsd(dispute.sellerShareUsd),
      platformFeeUsd: asUsd(dispute.platformFeeUsd),
      usdPerCredit: asUsd(dispute.usdPerCredit),
    },
    usdPerCredit: asUsd(dispute.usdPerCredit),
  });
  const [done] = await db
    .update(disputes)
    .set({ status: "refunded", refundEntryId: entry.id, resolvedAt: Date.now() })
    .where(and(eq(disputes.id, dispute.id), eq(disputes.status, "refunding")))
    .returning();
  return done ?? getDispute(db, dispute.id);
}
