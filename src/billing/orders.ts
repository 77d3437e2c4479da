/**
 * Credit orders: each order of credits, what it bought at what price, and how it
 * ended. Crediting an order is one wallet deposit whose id derives from the
 * Stripe object that paid it (`stripe:pi_...` for a payment, `stripe:in_...`
 * for a plan period's invoice), never from an event: duplicate, twin and
 * out-of-order events all carry the same object, so they credit once. Every
 * deposit parameter comes from the order row, so two events produce the
 * exact same deposit (a differing repeat would be a CONFLICT, not a credit).
 */
import { and, desc, eq, lt, ne, or } from "drizzle-orm";
import type { Db } from "../db";
import { creditOrders, type OrderKind } from "../db/schema";
import { TesseraError } from "../errors";
import { toDecimalNumber, type Credits, type Usd } from "../money";
import { wallet } from "../wallet/client";
import type { DepositInput, LedgerEntry } from "../wallet/types";
import { totalCredits } from "./catalogue";
import type { Services } from "../services";
import { centsToUsdNumber } from "./pricing";
import { applyReversal } from "./reversals";

export type Order = typeof creditOrders.$inferSelect;
export type NewOrder = typeof creditOrders.$inferInsert;

const planKinds: readonly OrderKind[] = ["plan", "plan_renewal", "plan_upgrade"];

export async function insertOrder(db: Db, order: NewOrder): Promise<void> {
  await db.insert(creditOrders).values(order);
}

export async function findOrder(db: Db, id: string): Promise<Order | undefined> {
  return db.query.creditOrders.findFirst({ where: eq(creditOrders.id, id) });
}

/** A company's own order; anyone else's is NOT_FOUND, as if it did not exist. */
export async function getCompanyOrder(db: Db, companyId: string, id: string): Promise<Order> {
  const order = await db.query.creditOrders.findFirst({ where: and(eq(creditOrders.id, id), eq(creditOrders.companyId, companyId)) });
  if (!order) throw new TesseraError("NOT_FOUND", `No order ${id}.`);
  return order;
}

export async function findOrderByPaymentIntent(db: Db, paymentIntentId: string): Promise<Order | undefined> {
  return db.query.creditOrders.findFirst({ where: eq(creditOrders.stripePaymentIntentId, paymentIntentId) });
}

/** Newest first; page with `after` = the last order's position (`createdAt` and `id`). */
export async function listOrders(db: Db, companyId: string, opts: { limit: number; after?: { createdAt: number; id: string } }): Promise<Order[]> {
  const after = opts.after;
  return db
    .select()
    .from(creditOrders)
    .where(
      and(
        eq(creditOrders.companyId, companyId),
        after
          ? or(lt(creditOrders.createdAt, after.createdAt), and(eq(creditOrders.createdAt, after.createdAt), lt(creditOrders.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(creditOrders.createdAt), desc(creditOrders.id))
    .limit(opts.limit);
}

export async function updateOrder(db: Db, id: string, patch: Partial<NewOrder>): Promise<void> {
  await db.update(creditOrders).set({ ...patch, updatedAt: Date.now() }).where(eq(creditOrders.id, id));
}

/** The deposit that credits `order`, paid by the Stripe object `paidBy` (`pi_...` or `in_...`). */
export function depositFor(order: Order, paidBy: string): DepositInput {
  return {
    id: `stripe:${paidBy}`,
    kind: planKinds.includes(order.kind) ? "plan" : "top_up",
    credits: totalCredits(order),
    usdPerCredit: order.usdPerCredit as Usd,
    reason: reasonFor(order),
  };
}

function reasonFor(order: Order): string {
  // The reason is part of the deposit's fingerprint: an order made before names were kept keeps the
  // wording its deposit was first made with ("Bundle starter"), so a repeated event still matches.
  if (order.catalogueName === null) return legacyReasonFor(order);
  const name = order.catalogueName;
  const label: Record<OrderKind, string> = {
    on_demand: "On-demand credits",
    bundle: `${name} bundle`,
    plan: `${name} plan`,
    plan_renewal: `${name} plan renewal`,
    plan_upgrade: `Upgrade to the ${name} plan`,
    auto_refill: "Auto-refill",
  };
  return `${label[order.kind]} (order ${order.id})`;
}

function legacyReasonFor(order: Order): string {
  const what = order.catalogueId ? ` ${order.catalogueId}` : "";
  const label: Record<OrderKind, string> = {
    on_demand: "On-demand credits",
    bundle: `Bundle${what}`,
    plan: `Plan${what}`,
    plan_renewal: `Plan${what} renewal`,
    plan_upgrade: `Plan upgrade to${what}`,
    auto_refill: "Auto-refill",
  };
  return `${label[order.kind]} (order ${order.id})`;
}

/**
 * Credits a paid order once and marks it paid. Safe to call for every event
 * about the payment, in any order and any number of times: the deposit id is
 * the paying object's, and the status only moves forward to `paid`. A refund
 * or dispute Stripe reported before this payment landed is applied now.
 */
export async function creditOrder(
  ctx: Services,
  order: Order,
  paidBy: string,
  stripeIds: Partial<Pick<NewOrder, "stripePaymentIntentId" | "stripeInvoiceId" | "stripeSubscriptionId" | "stripeCheckoutSessionId">> = {},
): Promise<LedgerEntry> {
  const deposit = depositFor(order, paidBy);
  const entry = await ctx.wallet(order.companyId).deposit(deposit);
  const now = Date.now();
  await ctx.db
    .update(creditOrders)
    .set({ ...stripeIds, status: "paid", depositId: deposit.id, paidAt: order.paidAt ?? now, failureReason: null, updatedAt: now })
    .where(and(eq(creditOrders.id, order.id), ne(creditOrders.status, "paid"), ne(creditOrders.status, "reversed")));
  const paymentIntentId = stripeIds.stripePaymentIntentId ?? order.stripePaymentIntentId;
  if (paymentIntentId) await applyReversal(ctx, paymentIntentId);
  return entry;
}

/** Marks an order failed unless it was paid meanwhile (a late failure never undoes a payment). */
export async function failOrder(db: Db, id: string, reason: string, status: "failed" | "expired" = "failed"): Promise<void> {
  await db
    .update(creditOrders)
    .set({ status, failureReason: reason, updatedAt: Date.now() })
    .where(and(eq(creditOrders.id, id), or(eq(creditOrders.status, "pending"), eq(creditOrders.status, "failed"))));
}

export function orderView(order: Order) {
  return {
    id: order.id,
    kind: order.kind,
    item: order.catalogueId,
    status: order.status,
    credits: toDecimalNumber(order.credits),
    bonusCredits: toDecimalNumber(order.bonusCredits),
    totalCredits: toDecimalNumber(totalCredits(order)),
    priceUsd: centsToUsdNumber(order.priceCents),
    priceCents: order.priceCents,
    discountPercent: order.discountBps / 100,
    usdPerCredit: toDecimalNumber(order.usdPerCredit),
    failureReason: order.failureReason,
    reversedCredits: order.reversedCredits === null ? null : toDecimalNumber(order.reversedCredits),
    stripe: {
      checkoutSession: order.stripeCheckoutSessionId,
      paymentIntent: order.stripePaymentIntentId,
      subscription: order.stripeSubscriptionId,
      invoice: order.stripeInvoiceId,
    },
    createdAt: order.createdAt,
    paidAt: order.paidAt,
  };
}
