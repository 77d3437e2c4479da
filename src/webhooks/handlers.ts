/**
 * Every Stripe event Tessera handles, by type. Each area exports its own map
 * and is spread in here; an event type belongs to exactly one area (a later
 * spread would silently replace an earlier handler, and a test checks none does).
 */
import { billingHandlers } from "../billing/webhooks";
import { connectHandlers } from "../connect/webhooks";
import type { StripeHandlers } from "./types";

export const stripeHandlers: StripeHandlers = {
  ...billingHandlers,
  ...connectHandlers,
};
