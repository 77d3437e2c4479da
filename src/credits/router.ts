import { z } from "zod";
import { ledgerKinds } from "../db/schema";
import { currentRate } from "../rates";
import { toDecimalNumber } from "../money";
import { listCursor, listInput, paged, mapPage } from "../paging";
import { creditsAmount } from "../schemas";
import { companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { balanceView, namedEntryViews, usage30d, usdNumber } from "./service";

/** Ledger entries are paged by their sequence number in the wallet. */
const ledgerCursor = listCursor("ledger", z.tuple([z.number().int().positive()]));

export const historyInput = listInput(
  {
    kinds: z.array(z.enum(ledgerKinds)).max(ledgerKinds.length).optional(),
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
  },
  50,
  200,
);

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

  /** The ledger, newest first; charges and refunds name their product and seller. */
  history: companyProcedure.input(historyInput).query(async ({ ctx, input }) => {
    const purse = ctx.wallet(ctx.caller.companyId);
    const page = await paged(
      input,
      ledgerCursor,
      (beforeSeq, limit) => purse.history({ limit, beforeSeq: beforeSeq?.[0], kinds: input.kinds, from: input.from, to: input.to }),
      (entry) => [entry.seq] as [number],
    );
    return mapPage(page, (items) => namedEntryViews(ctx.db, items));
  }),

  setLowBalanceThreshold: writeProcedure
    .input(z.object({ credits: creditsAmount }))
    .mutation(async ({ ctx, input }) => {
      const [balance, rate] = await Promise.all([ctx.wallet(ctx.caller.companyId).setLowBalanceThreshold(input.credits), currentRate(ctx.db)]);
      return balanceView(balance, rate);
    }),
});
