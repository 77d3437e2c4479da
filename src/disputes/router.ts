import { z } from "zod";
import type { Db } from "../db";
import { disputeStatuses } from "../db/schema";
import { TesseraError } from "../errors";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { adminProcedure, companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { openDisputeInput } from "./schema";
import { getDispute, listDisputes, openDispute, resolveDispute } from "./service";
import { disputeView, reviewViews, withProductNames } from "./views";

const id = z.string().min(1).max(200);
/** Disputes are listed newest first by [createdAt, id]. */
const disputeCursor = listCursor("disputes", timeAndId);
export const disputeListInput = listInput({ status: z.enum(disputeStatuses).optional() }, 50, 200);

function disputesPage(db: Db, filter: Parameters<typeof listDisputes>[1], input: { limit: number; cursor?: string | undefined }) {
  return paged(input, disputeCursor, (after, limit) => listDisputes(db, filter, { limit, after }), (d) => [d.createdAt, d.id] as [number, string]);
}

export const disputesRouter = router({
  /**
   * A buyer disputes one of its billed transactions, named by its ledger
   * entry id (credits history) or by the request id its response showed.
   */
  open: writeProcedure
    .input(openDisputeInput)
    .mutation(async ({ ctx, input }) => disputeView(await openDispute(ctx, ctx.caller.companyId, input, input.reason))),

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
      const dispute = await resolveDispute(ctx, { id: input.id, outcome: input.outcome, note: input.note ?? null, resolvedBy: ctx.caller.keyId });
      const [view] = await reviewViews(ctx.db, [dispute]);
      return view!;
    }),
});
