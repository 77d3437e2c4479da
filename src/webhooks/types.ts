import type Stripe from "stripe";
import type { Db } from "../db";

/** What a Stripe event handler gets besides the event. */
export interface WebhookContext {
  env: Env;
  db: Db;
}

/**
 * Handles one verified event. Must be idempotent: Stripe delivers at least
 * once, in any order. Throwing answers 500 so Stripe retries; an event about
 * objects that are not Tessera's should simply return.
 */
export type StripeHandler = (event: Stripe.Event, ctx: WebhookContext) => Promise<void>;

/** Handlers by event type; one owner per type. */
export type StripeHandlers = Partial<Record<Stripe.Event.Type, StripeHandler>>;
