/**
 * A payment refunded or disputed: the credits were not paid for after all,
 * so the order's credits are taken back with one wallet adjustment
 * (`stripe-reversal:<payment intent>`). The wallet never goes below zero
 * available, so credits already spent cannot be taken; what could not be is
 * recorded on the order (`reversalShortfall`) for an admin. Tessera never
 * refunds (credit orders are final); this is for what Stripe or a card network
 * decides. Any refund reverses the whole order.
 *
 * Stripe does not order events and never redelivers one it got a 2xx for, so
 * a refund can arrive before the payment it reverses. Each report is first
 * recorded (`payment_reversals`), then applied if the payment's order is
 * paid; crediting an order applies any reversal recorded for its payment
 * (`creditOrder`). Both sides write their own fact before reading the other's,
 * so whichever comes second applies it, and every ordering ends the same:
 * one deposit, one adjustment, the order `reversed`. (Answering the early
 * refund with a 5xx instead would leave the credits spendable until Stripe's
 * next retry, hours later, and a refund of a payment that never credits would
 * fail forever.)
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { creditOrders, paymentReversals } from "../db/schema";
import { TesseraError } from "../errors";
import type { Credits, Usd } from "../money";
import { wallet, type WalletClient } from "../wallet/client";
import { totalCredits } from "./catalogue";
import type { Services } from "../services";
import type { Order } from "./orders";

export type ReversalReason = (typeof paymentReversals.$inferSelect)["reason"];
type Reversal = typeof paymentReversals.$inferSelect;

/** Records that Stripe refunded or disputed `paymentIntentId` (once), and applies it if its payment has landed. */
export async function reversePayment(ctx: Services, paymentIntentId: string, why: ReversalReason, stripeObjectId: string): Promise<void> {
  await ctx.db
    .insert(paymentReversals)
    .values({ paymentIntentId, reason: why, stripeObjectId, createdAt: Date.now() })
    .onConflictDoNothing();
  await applyReversal(ctx, paymentIntentId);
}

/**
 * Applies the reversal recorded for `paymentIntentId`, if there is one and
 * its order has been credited; otherwise does nothing. Safe to call any
 * number of times, concurrently, from either side.
 */
export async function applyReversal(ctx: Services, paymentIntentId: string): Promise<void> {
  const [reversal, order] = await Promise.all([
    ctx.db.query.paymentReversals.findFirst({ where: eq(paymentReversals.paymentIntentId, paymentIntentId) }),
    ctx.db.query.creditOrders.findFirst({ where: eq(creditOrders.stripePaymentIntentId, paymentIntentId) }),
  ]);
  if (!reversal || reversal.appliedAt !== null) return;
  // Not credited yet: the payment's own events apply it when they land.
  if (!order || !order.depositId || (order.status !== "paid" && order.status !== "reversed")) return;
  const owed = totalCredits(order);
  const taken = await takeBack(ctx, order, reversal);
  // Two appliers at once may see different outcomes (one took, the other found nothing left
  // to take); the adjustment happens once, so the larger figure is the true one.
  const reversed = sql`max(coalesce(${creditOrders.reversedCredits}, 0), ${taken})`;
  const now = Date.now();
  await ctx.db.batch([
    ctx.db
      .update(creditOrders)
      .set({
        status: "reversed",
        reversedCredits: reversed,
        reversalShortfall: sql`${owed} - ${reversed}`,
        failureReason: `The payment was ${reversal.reason}.`,
        updatedAt: now,
      })
      .where(eq(creditOrders.id, order.id)),
    ctx.db
      .update(paymentReversals)
      .set({ orderId: order.id, appliedAt: now })
      .where(and(eq(paymentReversals.paymentIntentId, paymentIntentId), isNull(paymentReversals.appliedAt))),
  ]);
}

/** Takes back as much of the order's credits as is available, once; returns the credits taken. */
async function takeBack(ctx: Services, order: Order, reversal: Reversal): Promise<number> {
  const id = `stripe-reversal:${reversal.paymentIntentId}`;
  const owed = totalCredits(order);
  const purse = ctx.wallet(order.companyId);
  // Available can shrink between the read and the adjustment; a few tries settle it.
  for (let attempt = 0; attempt < 5; attempt++) {
    const { available } = await purse.balance();
    const take = Math.min(owed, available);
    // Nothing left to take, or already taken (a redelivery after a crash, a twin at the same moment).
    if (take <= 0) return (await adjustmentOf(purse, id, order.createdAt)) ?? 0;
    try {
      const entry = await purse.adjust({
        id,
        credits: take as Credits,
        reason: `Payment ${reversal.reason}: order ${order.id}`,
        usdPerCredit: order.usdPerCredit as Usd,
      });
      return -entry.amount;
    } catch (error) {
      if (error instanceof TesseraError && error.code === "INSUFFICIENT_CREDITS") continue;
      // The adjustment exists with another amount: another applier got there first.
      if (error instanceof TesseraError && error.code === "CONFLICT") {
        const taken = await adjustmentOf(purse, id, order.createdAt);
        if (taken !== undefined) return taken;
      }
      throw error;
    }
  }
  throw new TesseraError("CONFLICT", `Could not settle the reversal of ${reversal.paymentIntentId}; Stripe will retry.`);
}

/** The credits the adjustment `operationId` took, if the wallet has it (made after `since`). */
async function adjustmentOf(purse: WalletClient, operationId: string, since: number): Promise<number | undefined> {
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await purse.history({ kinds: ["adjustment"], from: since, limit: 100, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
    const found = page.find((entry) => entry.operationId === operationId);
    if (found) return -found.amount;
    if (page.length < 100) return undefined;
    beforeSeq = page.at(-1)!.seq;
  }
}
