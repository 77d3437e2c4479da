/**
 * `POST /webhooks/stripe`: the signature is checked against the raw body
 * first (a bad or stale one is 400 and nothing runs), then the event goes to
 * the handler registered for its type (handlers.ts). Types nobody handles are
 * acknowledged with 200 and ignored, as Stripe recommends. A handler that
 * throws answers 500, and Stripe retries the delivery later.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { restRouter } from "../rest/router";
import { errorResponses, json } from "../rest/schemas";
import { verifyWebhook } from "../stripe";
import { stripeHandlers } from "./handlers";

export const stripeWebhook = createRoute({
  method: "post",
  path: "/stripe",
  operationId: "stripeWebhook",
  summary: "Stripe events",
  description:
    "Stripe calls this with signed events (credit purchases, subscription renewals, Connect account updates). " +
    "The Stripe-Signature header is verified against the raw body; an event changes nothing the second time it is delivered.",
  tags: ["Webhooks"],
  request: {
    // Read raw by the handler: the signature covers the exact bytes.
    headers: z.object({ "stripe-signature": z.string().optional().openapi({ description: "Stripe's signature of the body." }) }),
    body: { required: true, content: { "application/json": { schema: { type: "object", description: "A Stripe event." } } } },
  },
  responses: {
    200: json(
      "Received; `handled` says whether Tessera acts on this event type.",
      z.object({ received: z.literal(true), handled: z.boolean() }).openapi("WebhookReceipt"),
    ),
    ...errorResponses({
      BAD_REQUEST: "no Stripe-Signature, or a signature that doesn't match the body or is out of date: nothing ran.",
      INTERNAL: "applying the event failed; Stripe delivers it again later.",
    }),
  },
});

export const stripeWebhooks = restRouter().openapi(stripeWebhook, async (c) => {
  const rawBody = await c.req.text();
  const event = await verifyWebhook(c.env, rawBody, c.req.header("stripe-signature"));
  const handler = stripeHandlers[event.type];
  if (!handler) return c.json({ received: true as const, handled: false }, 200);
  await handler(event, c.var.services);
  return c.json({ received: true as const, handled: true }, 200);
});
