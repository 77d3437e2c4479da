import Stripe from "stripe";
import { TesseraError } from "../errors";

/**
 * Runs a Stripe call and turns its failures into Tessera errors: a declined
 * card is PAYMENT_FAILED (402), anything else Stripe refused or could not do
 * is STRIPE_ERROR (502). Tessera's own errors pass through.
 */
export async function stripeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asTesseraError(what, error);
  }
}

export function asTesseraError(what: string, error: unknown): unknown {
  if (error instanceof TesseraError) return error;
  if (error instanceof Stripe.errors.StripeCardError) {
    return new TesseraError("PAYMENT_FAILED", `The card was declined: ${error.message}`);
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new TesseraError("STRIPE_ERROR", `Stripe could not ${what}: ${error.message}`);
  }
  return error;
}

/** Stripe ids arrive as a string or an expanded object. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}
