import type Stripe from "stripe";
import type { Services } from "../services";

/**
 * Handles one verified event. Must be idempotent: Stripe delivers at least
 * once, in any order. Throwing answers 500 so Stripe retries; an event about
 * objects that are not Tessera's should simply return.
 */
export type StripeHandler = (event: Stripe.Event, s: Services) => Promise<void>;

/** Handlers by event type; one owner per type. */
export type StripeHandlers = Partial<Record<Stripe.Event.Type, StripeHandler>>;
