import { z } from "zod";
import { ledgerKinds } from "../db/schema";
import { currentRate } from "../rates";
import { toDecimalNumber } from "../money";
import { creditsAmount } from "../schemas";
import { companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { balanceView, entryView, usage30d, usdNumber } from "./service";

export const creditsRouter = router({
  /** Balance, held and available credits, and whether the balance is low. */
  balance: companyProcedure.query(async ({ ctx }) => {
    const [balance, rate] = await Promise.all([ctx.wallet(ctx.caller.companyId).balance(), currentRate(ctx.db)]);
    return balanceView(balance, rate);
  }),

  /** Spending over the last 30 days. */
  usage: companyProcedure.query(async ({ ctx }) => {
    const [usage, rate] = await Promise.all([usage30d(ctx.db, ctx.caller.companyId), currentRate(ctx.db)]);
    return {
      spentCredits: toDecimalNumber(usage.spent),
      spentUsd: usdNumber(usage.spent, rate),
      assetExecutions: usage.assetExecutions,
      endpointRequests: usage.endpointRequests,
    };
  }),

  /** The ledger, newest first. Page with `cursor` (the last entry's `seq`). */
  history: companyProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.number().int().positive().optional(),
        kinds: z.array(z.enum(ledgerKinds)).max(ledgerKinds.length).optional(),
        from: z.number().int().nonnegative().optional(),
        to: z.number().int().nonnegative().optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const entries = await ctx.wallet(ctx.caller.companyId).history({
        limit: input.limit + 1,
        beforeSeq: input.cursor,
        kinds: input.kinds,
        from: input.from,
        to: input.to,
      });
      const page = entries.slice(0, input.limit);
      return {
        items: page.map(entryView),
        nextCursor: entries.length > input.limit ? page.at(-1)!.seq : null,
      };
    }),

  setLowBalanceThreshold: writeProcedure
    .input(z.object({ credits: creditsAmount }))
    .mutation(async ({ ctx, input }) => {
      const [balance, rate] = await Promise.all([ctx.wallet(ctx.caller.companyId).setLowBalanceThreshold(input.credits), currentRate(ctx.db)]);
      return balanceView(balance, rate);
    }),
});
