import { z } from "zod";
import { getCompany } from "../companies/service";
import { companyProcedure, router, writeProcedure, type Context } from "../trpc/trpc";
import { disconnect, refreshAccount, startOnboarding } from "./service";
import { latestAccount, statusOf, type ConnectAccount } from "./state";

const webUrl = z.url({ protocol: /^https?$/ }).max(2000);

/** What a seller sees of its Stripe connection. */
export function connectView(account: ConnectAccount | undefined, canSell: boolean) {
  return {
    status: statusOf(account),
    accountId: account?.id ?? null,
    canSell,
    detailsSubmitted: account?.detailsSubmitted ?? false,
    payoutsEnabled: account?.payoutsEnabled ?? false,
    requirementsDue: account?.requirementsDue ?? [],
    connectedAt: account?.createdAt ?? null,
    disconnectedAt: account?.disconnectedAt ?? null,
  };
}

async function currentView(ctx: Context, companyId: string) {
  const [account, company] = await Promise.all([latestAccount(ctx.db, companyId), getCompany(ctx.db, companyId)]);
  return connectView(account, company.canSell);
}

/** Sellers: connect Stripe to be paid; the marketplace lists only verified sellers' products. */
export const connectRouter = router({
  status: companyProcedure.query(({ ctx }) => currentView(ctx, ctx.caller.companyId)),

  /**
   * Creates the connected account (once) and returns a fresh onboarding link.
   * A verified account needs none: `onboardingUrl` is null.
   */
  start: writeProcedure
    .input(z.object({ returnUrl: webUrl.optional(), refreshUrl: webUrl.optional() }).default({}))
    .mutation(async ({ ctx, input }) => {
      const company = await getCompany(ctx.db, ctx.caller.companyId);
      const base = ctx.env.PUBLIC_URL;
      const started = await startOnboarding(ctx, company, {
        returnUrl: input.returnUrl ?? `${base}/connect/return`,
        refreshUrl: input.refreshUrl ?? `${base}/connect/refresh`,
      });
      return {
        // Onboarding never changes can_sell; Stripe's webhook or a refresh does.
        ...connectView(started.account, company.canSell),
        onboardingUrl: started.onboardingUrl,
        onboardingUrlExpiresAt: started.expiresAt,
      };
    }),

  /** Asks Stripe for the account's state now (the webhook does the same when Stripe calls). */
  refresh: writeProcedure.mutation(async ({ ctx }) => {
    const account = await refreshAccount(ctx, ctx.caller.companyId);
    return connectView(account, (await getCompany(ctx.db, ctx.caller.companyId)).canSell);
  }),

  /**
   * Stops selling at once: every product leaves the marketplace and payouts
   * freeze until a new account is verified. To pause one product, turn its
   * sellInMarketplace off instead; payouts keep flowing.
   */
  disconnect: writeProcedure.mutation(async ({ ctx }) => {
    const { account, deletedAtStripe } = await disconnect(ctx, ctx.caller.companyId);
    return { ...connectView(account, (await getCompany(ctx.db, ctx.caller.companyId)).canSell), deletedAtStripe };
  }),
});
