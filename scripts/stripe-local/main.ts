/**
 * stripe-local: a local server that speaks the subset of Stripe's REST API
 * Tessera uses, so the real `stripe` SDK (pointed here by STRIPE_API_BASE)
 * works in development and tests with no Stripe account and no network.
 *
 *   npx tsx scripts/stripe-local/main.ts
 *   env: PORT (12111), WEBHOOK_URL (e.g. http://127.0.0.1:8787/webhooks/stripe),
 *        STRIPE_WEBHOOK_SECRET (whsec_local), STRIPE_SECRET_KEY (optional: accept only this key),
 *        PUBLIC_URL (origin for hosted-page links, default http://127.0.0.1:PORT),
 *        STATE_FILE (optional: keep objects in this JSON file across restarts; webhooks
 *        not yet delivered are not kept)
 * In tests, vitest.config.ts picks a free port per run and binds STRIPE_API_BASE to it, and
 * test/global-setup.ts starts this server there (test/stripe-local/harness.ts drives it).
 * Type-check: npx tsc -p scripts/stripe-local
 *
 * Stripe API (form-encoded, `Authorization: Bearer sk_test_...`, Idempotency-Key honored):
 *   customers (create, retrieve, update), payment_methods (retrieve, list a customer's),
 *   products and prices (create, retrieve; prices list by lookup_keys), checkout sessions
 *   (create in payment/subscription/setup mode, retrieve, line_items, expire), payment_intents
 *   (create with confirm/off_session, retrieve), setup_intents (retrieve), subscriptions
 *   (retrieve, list, update items/proration/cancel_at_period_end, cancel), invoices (retrieve,
 *   list by subscription/customer, pay), accounts (create express, retrieve, delete),
 *   account_links, transfers (create, retrieve, list), balance, events (retrieve, list).
 *   Each secret key is its own platform: objects, balance and deliveries do not mix.
 *
 * Hosted pages: GET /checkout/:id (Pay / decline buttons; POST /checkout/:id/pay with
 * `card=fail` declines), GET|POST /connect/onboarding/:token (Account Link), GET /invoices/:id.
 *
 * Test controls (not Stripe's API). Send the platform's key as Authorization to scope a
 * control to it; ids are found on whichever platform holds them otherwise:
 *   GET  /_local/health
 *   POST /_local/reset                                  forget everything (or the key's platform)
 *   POST /_local/checkout/sessions/:id/complete          pay as the buyer would (`card=fail` declines → 402)
 *   POST /_local/checkout/sessions/:id/fail              decline the card (402, session stays open)
 *   POST /_local/customers/:id/card  outcome=decline|succeed   the customer's card declines from now on (or not)
 *   POST /_local/subscriptions/:id/advance               next period: renewal invoice (subscription_cycle), charged;
 *                                                        a declining card → invoice.payment_failed, past_due;
 *                                                        cancel_at_period_end → ended (customer.subscription.deleted)
 *   POST /_local/accounts/:id/onboarding                 finish onboarding (account.updated, payouts_enabled)
 *   POST /_local/accounts/:id/payouts  enabled=false|true     restrict / restore payouts and transfers
 *   POST /_local/balance  amount=<cents>                 set the platform's available USD balance (key required)
 *   POST /_local/faults  path=/v1/transfers[*] method=POST count=N error=api_error|card_declined
 *                                                        the next N matching requests fail (SDK retries count)
 *   GET  /_local/deliveries?for=<id>&type=a,b            queued webhook deliveries [{ id, type, payload, signature }]
 *   POST /_local/deliveries/drain?for=<id>&type=a,b      the same, removing them from the queue
 *
 * Webhooks: every event is queued for /_local/deliveries (payload is the exact raw body,
 * signature a fresh `Stripe-Signature` header from generateTestHeaderStringAsync). With
 * WEBHOOK_URL set, each is also POSTed there in order, retried 3 times on failure.
 * Events emitted (a subset of Stripe's; no invoice.created, charge.*, payment_method.*):
 *   customer.created/updated, checkout.session.completed/expired, payment_intent.succeeded/
 *   payment_failed (invoice payments included, as on Stripe), setup_intent.succeeded,
 *   customer.subscription.created/updated/deleted, invoice.paid/payment_failed,
 *   account.updated (with `account`), transfer.created. Card payments join the available
 *   balance at once (no pending period, no fees).
 */
import { startStripeLocal } from "./server.ts";

const port = Number(process.env.PORT ?? 12111);
const server = await startStripeLocal({
  port,
  host: process.env.HOST ?? "127.0.0.1",
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_local",
  webhookUrl: process.env.WEBHOOK_URL || undefined,
  secretKey: process.env.STRIPE_SECRET_KEY || undefined,
  publicUrl: process.env.PUBLIC_URL || undefined,
  stateFile: process.env.STATE_FILE || undefined,
  log: (line) => console.log(line),
});
console.log(`stripe-local listening on ${server.url}${process.env.WEBHOOK_URL ? `, webhooks → ${process.env.WEBHOOK_URL}` : ""}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void server.close().finally(() => process.exit(0));
  });
}
