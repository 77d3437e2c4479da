/**
 * `billing.*`: buying credits (on-demand, bundles, plans), the orders that
 * record each credit order, the plan's management, auto-refill and low-balance
 * alerts. Every procedure acts on the caller's own company; there is no
 * company id to pass, so nobody can buy for, or read, another company.
 */
import { z } from "zod";
import { toDecimalNumber } from "../money";
import { currentRate } from "../rates";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { companyProcedure, publicProcedure, router, writeProcedure } from "../trpc/trpc";
import { wallet } from "../wallet/client";
import { alertView, findAlertSettings, listAlerts, setAlertSettings } from "./alerts";
import { autoRefillView, findAutoRefill, recentRefills, setAutoRefill } from "./auto-refill";
import { catalogueView, listCatalogue } from "./catalogue";
import { startCheckout } from "./checkout";
import { getCompanyOrder, listOrders, orderView } from "./orders";
import { cancelPlan, changePlan, resumePlan } from "./plans";
import { MAX_ON_DEMAND_CREDITS, MIN_ON_DEMAND_CREDITS } from "./pricing";
import { autoRefillInput, catalogueId, checkoutInput, lowBalanceAlertInput } from "./schema";
import { latestSubscription, liveSubscription, planView } from "./subscriptions";


const orderCursor = listCursor("orders", timeAndId);
const alertCursor = listCursor("alerts", timeAndId);

export const billingRouter = router({
  /** What can be bought, with prices at the credit value in force. No key needed. */
  catalogue: publicProcedure.query(async ({ ctx }) => {
    const [items, rate] = await Promise.all([listCatalogue(ctx.db), currentRate(ctx.db)]);
    const views = items.map((item) => catalogueView(item, rate));
    return {
      creditValueUsd: toDecimalNumber(rate.usdPerCredit),
      onDemand: { minCredits: MIN_ON_DEMAND_CREDITS, maxCredits: MAX_ON_DEMAND_CREDITS, usdPerCredit: toDecimalNumber(rate.usdPerCredit) },
      bundles: views.filter((item) => item.kind === "bundle"),
      plans: views.filter((item) => item.kind === "plan"),
    };
  }),

  /** Starts a Stripe Checkout for the caller's company; credits land when Stripe confirms payment. */
  checkout: writeProcedure.input(checkoutInput).mutation(({ ctx, input }) => startCheckout(ctx, ctx.caller.companyId, input)),

  order: companyProcedure.input(z.object({ id: z.string().min(1).max(200) })).query(async ({ ctx, input }) => {
    return orderView(await getCompanyOrder(ctx.db, ctx.caller.companyId, input.id));
  }),

  /** Credit orders, newest first. */
  orders: companyProcedure.input(listInput({}, 20, 100)).query(async ({ ctx, input }) => {
    const page = await paged(
      input,
      orderCursor,
      (after, limit) => listOrders(ctx.db, ctx.caller.companyId, { limit, after: after && { createdAt: after[0], id: after[1] } }),
      (o) => [o.createdAt, o.id] as [number, string],
    );
    return mapPage(page, (items) => items.map(orderView));
  }),

  /**
   * The company's plan (Stripe's subscription): which, its status, the period end, a scheduled
   * downgrade. The plan in force, or the last one if none is; null without one.
   */
  plan: companyProcedure.query(async ({ ctx }) => {
    const companyId = ctx.caller.companyId;
    return planView(ctx.db, (await liveSubscription(ctx.db, companyId)) ?? (await latestSubscription(ctx.db, companyId)));
  }),

  /** Upgrade (at once, prorated) or downgrade (from the next period). */
  changePlan: writeProcedure.input(z.object({ plan: catalogueId })).mutation(async ({ ctx, input }) => {
    return planView(ctx.db, await changePlan(ctx, ctx.caller.companyId, input.plan));
  }),

  /** Stops renewal at the end of the period; every credit stays. */
  cancelPlan: writeProcedure.mutation(async ({ ctx }) => planView(ctx.db, await cancelPlan(ctx, ctx.caller.companyId))),

  /** Takes back a cancel before the period ends. */
  resumePlan: writeProcedure.mutation(async ({ ctx }) => planView(ctx.db, await resumePlan(ctx, ctx.caller.companyId))),

  autoRefill: router({
    /** Settings and status: failures in a row, the last failure, why it turned itself off, recent refills. */
    get: companyProcedure.query(async ({ ctx }) => {
      const companyId = ctx.caller.companyId;
      const [settings, refills] = await Promise.all([findAutoRefill(ctx, companyId), recentRefills(ctx, companyId)]);
      return autoRefillView(settings, refills);
    }),

    set: writeProcedure
      .input(autoRefillInput)
      .mutation(async ({ ctx, input }) => {
        const settings = await setAutoRefill(ctx, ctx.caller.companyId, input);
        return autoRefillView(settings, await recentRefills(ctx, ctx.caller.companyId));
      }),
  }),

  lowBalanceAlert: router({
    get: companyProcedure.query(async ({ ctx }) => {
      const [settings, balance] = await Promise.all([
        findAlertSettings(ctx, ctx.caller.companyId),
        ctx.wallet(ctx.caller.companyId).balance(),
      ]);
      return {
        thresholdCredits: toDecimalNumber(balance.lowBalanceThreshold),
        webhookUrl: settings?.webhookUrl ?? null,
        lowBalanceWarning: balance.lowBalanceWarning,
      };
    }),

    /** The threshold and where alerts go (null stops them). The signing secret is shown when made. */
    set: writeProcedure
      .input(lowBalanceAlertInput)
      .mutation(async ({ ctx, input }) => {
        const { settings, signingSecret } = await setAlertSettings(ctx, ctx.caller.companyId, input);
        return { thresholdCredits: toDecimalNumber(input.thresholdCredits), webhookUrl: settings?.webhookUrl ?? null, signingSecret };
      }),

    /** Alerts sent, newest first, and how their delivery went. */
    history: companyProcedure.input(listInput({}, 20, 100)).query(async ({ ctx, input }) => {
      const page = await paged(input, alertCursor, (after, limit) => listAlerts(ctx, ctx.caller.companyId, { limit, after }), (a) => [a.createdAt, a.id] as [number, string]);
      return mapPage(page, (items) => items.map(alertView));
    }),
  }),
});
