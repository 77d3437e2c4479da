import { z } from "zod";
import { TesseraError } from "../errors";
import { listCursor, listInput, mapPage, paged } from "../paging";
import { adminProcedure, companyProcedure, router } from "../trpc/trpc";
import { byType, earningsByProduct, earningsOverTime, earningsSummary } from "./earnings";
import { getPayout, listPayouts, monthSummary } from "./history";
import { toDecimalNumber } from "../money";
import { dollars } from "./money";
import { monthOf, PERIOD_KEY, previousMonth } from "./period";
import { enqueuePayouts } from "./queue";
import { earningsSummaryView, payoutDetailView, payoutView, productEarningsView, typeEarningsView, typeName } from "./views";

const DAY_MS = 86_400_000;
const period = z.string().regex(PERIOD_KEY, "A month as YYYY-MM.");
/** A seller has one payout a month: its payouts page by period, newest first. */
const payoutCursor = listCursor("payouts", z.tuple([period]));

/** Sellers: what they earned, itemized, and over time. */
export const earningsRouter = router({
  /** The figures of `GET /companies/:companyId/earnings`, for the caller's company. */
  summary: companyProcedure.query(async ({ ctx }) => earningsSummaryView(await earningsSummary(ctx.db, ctx.caller.companyId))),

  /**
   * Earnings in [from, to) (default: the last 30 days) by product type, by
   * product, and per month or day (UTC) per product.
   */
  breakdown: companyProcedure
    .input(
      z
        .object({
          from: z.number().int().min(0).optional(),
          to: z.number().int().min(0).optional(),
          granularity: z.enum(["month", "day"]).default("day"),
        })
        .default({ granularity: "day" }),
    )
    .query(async ({ ctx, input }) => {
      const to = input.to ?? Date.now();
      const from = input.from ?? to - 30 * DAY_MS;
      if (from >= to) throw new TesseraError("BAD_REQUEST", "from must be before to.");
      if (input.granularity === "day" && to - from > 400 * DAY_MS) throw new TesseraError("BAD_REQUEST", "A daily breakdown covers at most 400 days.");
      const companyId = ctx.caller.companyId;
      const [products, buckets] = await Promise.all([
        earningsByProduct(ctx.db, companyId, from, to),
        earningsOverTime(ctx.db, companyId, from, to, input.granularity),
      ]);
      const names = new Map(products.map((p) => [p.productId, p.name]));
      return {
        from,
        to,
        granularity: input.granularity,
        totalUsd: dollars(products.reduce((sum, p) => sum + p.earningsUsd, 0)),
        byType: byType(products).map(typeEarningsView),
        byProduct: products.map(productEarningsView),
        overTime: buckets.map((b) => ({
          period: b.period,
          productId: b.productId,
          name: names.get(b.productId) ?? b.productId,
          type: typeName(b.productType),
          sales: b.sales,
          refunds: b.refunds,
          earningsUsd: dollars(b.earningsUsd),
          exactEarningsUsd: toDecimalNumber(b.earningsUsd),
        })),
      };
    }),
});

/** Sellers: their payout history. Admins: run the job now, and see how a month went. */
export const payoutsRouter = router({
  list: companyProcedure.input(listInput({}, 24, 120)).query(async ({ ctx, input }) => {
    const page = await paged(input, payoutCursor, (after, limit) => listPayouts(ctx.db, ctx.caller.companyId, { limit, beforePeriod: after?.[0] }), (p) => [p.period] as [string]);
    return mapPage(page, (items) => items.map(payoutView));
  }),

  /** One payout with its line items; the PDF is at GET /companies/:companyId/payouts/:id/report. */
  get: companyProcedure.input(z.object({ id: z.string().min(1).max(200) })).query(async ({ ctx, input }) => {
    const { payout, lines } = await getPayout(ctx.db, ctx.caller.companyId, input.id);
    return { ...payoutDetailView(payout, lines), reportPath: payout.reportKey ? `/companies/${payout.companyId}/payouts/${payout.id}/report` : null };
  }),

  /**
   * Runs the payout job now for `month` (default: the month just ended), as the daily cron
   * does: one queue message per seller due, each paid in the background (queue.ts). A month
   * is paid once it is over. `payouts.month` shows how it went.
   */
  run: adminProcedure.input(z.object({ month: period.optional() }).default({})).mutation(({ ctx, input }) => {
    const now = Date.now();
    const month = input.month === undefined ? previousMonth(now) : monthOf(input.month);
    if (month.end > now) throw new TesseraError("BAD_REQUEST", `${month.key} is not over yet; a month is paid after it ends.`);
    return enqueuePayouts(ctx.env, month);
  }),

  /** A month's payouts across all sellers, by status: how many, and how much (dollars). */
  month: adminProcedure.input(z.object({ month: period })).query(async ({ ctx, input }) => monthSummary(ctx.db, input.month)),
});
