import { now } from "../clock.ts";
import { cardDeclined, invalidRequest } from "../errors.ts";
import type { Platform } from "../platform.ts";
import type { CheckoutSessionWire } from "../types.ts";
import { createCustomer, getCustomer } from "./customers.ts";
import { expireSession, getSession } from "./checkout-sessions.ts";
import { charge } from "./payment-intents.ts";
import { createCard } from "./payment-methods.ts";
import { createSucceededSetupIntent } from "./setup-intents.ts";
import { createSubscription } from "./subscriptions.ts";

/**
 * What happens when the buyer presses "Pay" on the hosted page (or a test
 * calls the control). The card is the test card 4242, saved on the customer;
 * `decline` (or a customer marked as declining) makes it fail like Stripe's
 * 4000 0000 0000 0002: the session stays open and a 402 card_declined is thrown.
 *
 * - payment: a succeeded PaymentIntent, then checkout.session.completed.
 * - subscription: the subscription and its paid first invoice
 *   (customer.subscription.created, invoice.paid), then checkout.session.completed.
 * - setup: a succeeded SetupIntent, then checkout.session.completed.
 */
export function completeCheckout(platform: Platform, sessionId: string, options: { decline?: boolean } = {}): CheckoutSessionWire {
  const session = getSession(platform, sessionId);
  if (session.status === "open" && now() > session.expires_at) expireSession(platform, session);
  if (session.status !== "open") throw invalidRequest(`This Checkout Session is ${session.status}; it can no longer be paid.`);

  const settings = platform.checkoutOptions.get(session.id)!;
  const items = platform.checkoutLineItems.get(session.id) ?? [];
  let customerId = session.customer as string | null;
  const email = customerId ? getCustomer(platform, customerId).email : (session.customer_email ?? "buyer@example.com");
  const declines = options.decline === true || (customerId !== null && platform.decliningCustomers.has(customerId));

  if (declines) {
    if (session.mode === "payment") {
      const failed = charge(platform, {
        amount: session.amount_total ?? 0,
        currency: session.currency ?? "usd",
        customer: customerId,
        paymentMethod: createCard(platform, null, email).id,
        metadata: settings.paymentIntentMetadata,
        decline: true,
      });
      session.payment_intent = failed.id;
      throw cardDeclined({ charge: failed.latest_charge as string, payment_intent: failed });
    }
    throw cardDeclined();
  }

  if (!customerId && (session.mode === "subscription" || session.customer_creation === "always")) {
    const created = createCustomer(platform, { email: email ?? "" });
    platform.emit("customer.created", created);
    customerId = created.id;
  }
  const card = createCard(platform, customerId, email);

  if (session.mode === "payment") {
    const intent = charge(platform, {
      amount: session.amount_total ?? 0,
      currency: session.currency ?? "usd",
      customer: customerId,
      paymentMethod: card.id,
      metadata: settings.paymentIntentMetadata,
      description: settings.paymentIntentDescription,
      setupFutureUsage: settings.setupFutureUsage,
    });
    session.payment_intent = intent.id;
    session.payment_status = "paid";
  } else if (session.mode === "subscription") {
    const { subscription, invoice } = createSubscription(platform, {
      customer: customerId!,
      items: items.map((item) => ({ price: item.price!, quantity: item.quantity ?? 1 })),
      metadata: settings.subscriptionMetadata,
      defaultPaymentMethod: card.id,
    });
    session.subscription = subscription.id;
    session.invoice = invoice.id;
    session.payment_status = "paid";
  } else {
    const intent = createSucceededSetupIntent(platform, customerId, card.id, settings.setupIntentMetadata);
    platform.emit("setup_intent.succeeded", intent);
    session.setup_intent = intent.id;
  }

  session.status = "complete";
  session.customer = customerId;
  session.url = null;
  session.customer_details = {
    address: null,
    business_name: null,
    email,
    individual_name: null,
    name: null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
  platform.emit("checkout.session.completed", session);
  return session;
}
