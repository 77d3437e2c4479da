/**
 * `POST /webhooks/stripe`: the signature is checked against the raw body
 * first (a bad or stale one is 400 and nothing runs), then the event goes to
 * the handler registered for its type (handlers.ts). Types nobody handles are
 * acknowledged with 200 and ignored, as Stripe recommends. A handler that
 * throws answers 500, and Stripe retries the delivery later.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { verifyWebhook } from "../stripe";
import { stripeHandlers } from "./handlers";

export const stripeWebhooks = new Hono<AppEnv>();

stripeWebhooks.post("/stripe", async (c) => {
  const rawBody = await c.req.text();
  const event = await verifyWebhook(c.env, rawBody, c.req.header("stripe-signature"));
  const handler = stripeHandlers[event.type];
  if (!handler) return c.json({ received: true, handled: false });
  await handler(event, { env: c.env, db: c.get("db") });
  return c.json({ received: true, handled: true });
});
