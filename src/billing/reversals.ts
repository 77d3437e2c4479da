/**
 * A payment refunded or disputed after its credits landed: the credits were
 * not paid for after all, so the order's credits are taken back with one
 * wallet adjustment (`stripe-reversal:<payment intent>`). The wallet never
 * goes below zero available, so credits already spent cannot be taken; what
 * could not be is recorded on the order (`reversalShortfall`) for an admin.
 * Tessera never refunds (purchases are final); this is for what Stripe or a
 * card network decides. Any refund reverses the whole order.
 */
import { TesseraError } from "../errors";
import type { Credits, Usd } from "../money";
import { wallet } from "../wallet/client";
import { totalCredits } from "./catalogue";
import type { BillingContext } from "./context";
import { findOrderByPaymentIntent, updateOrder } from "./orders";

export async function reversePayment(ctx: BillingContext, paymentIntentId: string, why: "refunded" | "disputed"): Promise<void> {
  const order = await findOrderByPaymentIntent(ctx.db, paymentIntentId);
  if (!order || order.status !== "paid" || !order.depositId) return;
  const owed = totalCredits(order);
  const purse = wallet(ctx.env, order.companyId);
  // Available can shrink between the read and the adjustment; a few tries settle it.
  for (let attempt = 0; attempt < 5; attempt++) {
    const { available } = await purse.balance();
    const take = Math.min(owed, available);
    try {
      if (take > 0) {
        await purse.adjust({
          id: `stripe-reversal:${paymentIntentId}`,
          credits: take as Credits,
          reason: `Payment ${why}: order ${order.id}`,
          usdPerCredit: order.usdPerCredit as Usd,
        });
      }
      await updateOrder(ctx.db, order.id, {
        status: "reversed",
        reversedCredits: take,
        reversalShortfall: owed - take,
        failureReason: `The payment was ${why}.`,
      });
      return;
    } catch (error) {
      if (error instanceof TesseraError && error.code === "INSUFFICIENT_CREDITS") continue;
      // The same reversal already went through (a twin event got there first).
      if (error instanceof TesseraError && error.code === "CONFLICT") return;
      throw error;
    }
  }
  throw new TesseraError("CONFLICT", `Could not settle the reversal of ${paymentIntentId}; Stripe will retry.`);
}
