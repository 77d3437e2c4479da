import { inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db";
import { companies, disputeStatuses, products, requestLogs } from "../db/schema";
import { TesseraError } from "../errors";
import { toDecimalNumber } from "../money";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { adminProcedure, companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { getDispute, listDisputes, openDispute, resolveDispute, type Dispute } from "./service";

const id = z.string().min(1).max(200);
/** Disputes are listed newest first by [createdAt, id]. */
const disputeCursor = listCursor("disputes", timeAndId);
export const disputeListInput = listInput({ status: z.enum(disputeStatuses).optional() }, 50, 200);

function disputesPage(db: Db, filter: Parameters<typeof listDisputes>[1], input: { limit: number; cursor?: string | undefined }) {
  return paged(input, disputeCursor, (after, limit) => listDisputes(db, filter, { limit, after }), (d) => [d.createdAt, d.id] as [number, string]);
}

export function disputeView(d: Dispute) {
  return {
    id: d.id,
    status: d.status,
    transactionId: d.transactionId,
    requestId: d.requestId,
    buyerCompanyId: d.buyerCompanyId,
    sellerCompanyId: d.sellerCompanyId,
    productId: d.productId,
    productType: d.productType,
    credits: toDecimalNumber(d.credits),
    grossUsd: toDecimalNumber(d.grossUsd),
    sellerShareUsd: toDecimalNumber(d.sellerShareUsd),
    reason: d.reason,
    resolutionNote: d.resolutionNote,
    refundEntryId: d.refundEntryId,
    createdAt: d.createdAt,
    resolvedAt: d.resolvedAt,
  };
}

/** Disputes as their buyer or seller reads them: with the product's name. */
async function withProductNames(db: Db, list: Dispute[]) {
  if (list.length === 0) return [];
  const names = await db
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(inArray(products.id, [...new Set(list.map((d) => d.productId))]));
  const productName = new Map(names.map((p) => [p.id, p.name]));
  return list.map((d) => ({ ...disputeView(d), productName: productName.get(d.productId) ?? d.productId }));
}

/** The admin's view: the dispute, who and what it concerns, and the request log entry behind it. */
async function reviewViews(db: Db, list: Dispute[]) {
  if (list.length === 0) return [];
  const [logs, names, productNames] = await Promise.all([
    db.select().from(requestLogs).where(inArray(requestLogs.id, list.map((d) => d.requestId))),
    db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, [...new Set(list.flatMap((d) => [d.buyerCompanyId, d.sellerCompanyId]))])),
    db.select({ id: products.id, name: products.name }).from(products).where(inArray(products.id, [...new Set(list.map((d) => d.productId))])),
  ]);
  const log = new Map(logs.map((l) => [l.id, l]));
  const company = new Map(names.map((c) => [c.id, c.name]));
  const product = new Map(productNames.map((p) => [p.id, p.name]));
  return list.map((d) => {
    const entry = log.get(d.requestId);
    return {
      ...disputeView(d),
      buyerName: company.get(d.buyerCompanyId) ?? null,
      sellerName: company.get(d.sellerCompanyId) ?? null,
      productName: product.get(d.productId) ?? null,
      requestLog: entry
        ? {
            id: entry.id,
            method: entry.method,
            status: entry.status,
            errorCode: entry.errorCode,
            rows: entry.rows,
            billed: entry.billed,
            credits: toDecimalNumber(entry.credits),
            durationMs: entry.durationMs,
            keyId: entry.keyId,
            createdAt: entry.createdAt,
          }
        : null,
    };
  });
}

export const disputesRouter = router({
  /**
   * A buyer disputes one of its billed transactions, named by its ledger
   * entry id (credits history) or by the request id its response showed.
   */
  open: writeProcedure
    .input(
      z
        .object({ transactionId: id.optional(), requestId: id.optional(), reason: z.string().trim().min(3).max(2000) })
        .refine((v) => (v.transactionId === undefined) !== (v.requestId === undefined), "Name the transaction by transactionId or by requestId (one of them)."),
    )
    .mutation(async ({ ctx, input }) => disputeView(await openDispute(ctx.env, ctx.db, ctx.caller.companyId, input, input.reason))),

  /** The caller's own disputes, newest first. */
  mine: companyProcedure.input(disputeListInput).query(async ({ ctx, input }) =>
    mapPage(await disputesPage(ctx.db, { status: input.status, buyerCompanyId: ctx.caller.companyId }, input), (items) => withProductNames(ctx.db, items)),
  ),

  /** Sellers: disputes of their sales, newest first (a refund comes off the next payout). */
  received: companyProcedure.input(disputeListInput).query(async ({ ctx, input }) =>
    mapPage(await disputesPage(ctx.db, { status: input.status, sellerCompanyId: ctx.caller.companyId }, input), (items) => withProductNames(ctx.db, items)),
  ),

  /** One of the caller's disputes. */
  get: companyProcedure.input(z.object({ id })).query(async ({ ctx, input }) => disputeView(await getDispute(ctx.db, input.id, ctx.caller.companyId))),

  /** Admins: disputes to review, with the request log entry behind each. */
  list: adminProcedure.input(disputeListInput).query(async ({ ctx, input }) =>
    mapPage(await disputesPage(ctx.db, { status: input.status }, input), (items) => reviewViews(ctx.db, items)),
  ),

  review: adminProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const [view] = await reviewViews(ctx.db, [await getDispute(ctx.db, input.id)]);
    if (!view) throw new TesseraError("NOT_FOUND", `No dispute ${input.id}.`);
    return view;
  }),

  /**
   * Admins: reject, or refund (the credits charged go back to the buyer and
   * the seller's share comes off its next payout). Once per dispute.
   */
  resolve: adminProcedure
    .input(z.object({ id, outcome: z.enum(["refunded", "rejected"]), note: z.string().trim().max(2000).optional() }))
    .mutation(async ({ ctx, input }) => {
      const dispute = await resolveDispute(ctx.env, ctx.db, { id: input.id, outcome: input.outcome, note: input.note ?? null, resolvedBy: ctx.caller.keyId });
      const [view] = await reviewViews(ctx.db, [dispute]);
      return view!;
    }),
});
