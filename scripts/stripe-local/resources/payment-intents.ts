import { now } from "../clock.ts";
import { cardDeclined, invalidParam, invalidRequest, noSuch } from "../errors.ts";
import { newId } from "../ids.ts";
import {
  mergeMetadata,
  optionalBoolean,
  optionalEnum,
  optionalString,
  requiredInteger,
  requiredString,
} from "../params.ts";
import type { Platform, RequestRef } from "../platform.ts";
import { api } from "../router.ts";
import type { PaymentIntentWire } from "../types.ts";
import { getCustomer } from "./customers.ts";
import { getPaymentMethod } from "./payment-methods.ts";

export interface Charge {
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethod: string;
  metadata?: Record<string, string>;
  description?: string | null;
  setupFutureUsage?: "off_session" | "on_session" | null;
  /** The hosted page's "decline this card" choice; a declining customer always declines. */
  decline?: boolean;
  request?: RequestRef;
}

/**
 * Charges a saved card: a PaymentIntent that succeeded (its amount joins the
 * platform's available balance) or one that was declined. Emits
 * payment_intent.succeeded or payment_intent.payment_failed.
 */
export function charge(platform: Platform, input: Charge): PaymentIntentWire {
  const declined = input.decline === true || (input.customer !== null && platform.decliningCustomers.has(input.customer));
  const intent = newIntent(platform, input);
  const chargeId = newId("ch_");
  if (declined) {
    intent.status = "requires_payment_method";
    intent.last_payment_error = cardDeclined({ charge: chargeId }).body as PaymentIntentWire["last_payment_error"];
    intent.payment_method = null;
    intent.latest_charge = chargeId;
    platform.emit("payment_intent.payment_failed", intent, { request: input.request });
  } else {
    intent.status = "succeeded";
    intent.amount_received = intent.amount;
    intent.latest_charge = chargeId;
    platform.balance += intent.amount;
    platform.emit("payment_intent.succeeded", intent, { request: input.request });
  }
  return intent;
}

function newIntent(platform: Platform, input: Omit<Charge, "paymentMethod"> & { paymentMethod: string | null }): PaymentIntentWire {
  const id = newId("pi_");
  const intent: PaymentIntentWire = {
    id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${id}_secret_${newId("", 24)}`,
    confirmation_method: "automatic",
    created: now(),
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: input.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: input.setupFutureUsage ?? null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: input.paymentMethod ? "requires_confirmation" : "requires_payment_method",
    transfer_data: null,
    transfer_group: null,
  };
  platform.paymentIntents.set(intent.id, intent);
  return intent;
}

export const paymentIntentRoutes = [
  /**
   * Tessera's auto-refill: `confirm=true, off_session=true, customer,
   * payment_method`. A declined card answers 402 card_declined with the
   * failed PaymentIntent in `error.payment_intent`, as Stripe does.
   */
  api("POST", "/v1/payment_intents", ({ platform, body, request }) => {
    const amount = requiredInteger(body, "amount");
    const currency = requiredString(body, "currency").toLowerCase();
    if (amount < 50) {
      throw invalidParam("amount", "Amount must be at least $0.50 usd", "amount_too_small");
    }
    const customer = optionalString(body, "customer") ?? null;
    if (customer) getCustomer(platform, customer, "customer");
    const paymentMethod = optionalString(body, "payment_method") ?? null;
    if (paymentMethod) {
      const method = getPaymentMethod(platform, paymentMethod, "payment_method");
      if (method.customer && method.customer !== customer) {
        throw invalidRequest(
          `The provided PaymentMethod ${paymentMethod} belongs to another customer; pass customer=${method.customer} to use it.`,
          { param: "payment_method" },
        );
      }
    }
    const confirm = optionalBoolean(body, "confirm") ?? false;
    const offSession = optionalBoolean(body, "off_session");
    if (offSession !== undefined && !confirm) {
      throw invalidParam("off_session", "You can only pass `off_session` when `confirm=true`.");
    }
    const fields = {
      amount,
      currency,
      customer,
      metadata: mergeMetadata({}, body),
      description: optionalString(body, "description") ?? null,
      setupFutureUsage: optionalEnum(body, "setup_future_usage", ["off_session", "on_session"] as const) ?? null,
      request,
    };
    if (!confirm) return newIntent(platform, { ...fields, paymentMethod });
    if (!paymentMethod) {
      throw invalidRequest("You must provide a `payment_method` to confirm this PaymentIntent.", {
        code: "payment_intent_unexpected_state",
        param: "payment_method",
      });
    }
    const intent = charge(platform, { ...fields, paymentMethod });
    if (intent.status !== "succeeded") throw cardDeclined({ charge: intent.latest_charge as string, payment_intent: intent });
    return intent;
  }),
  api("GET", "/v1/payment_intents/:id", ({ platform, params }) => {
    const intent = platform.paymentIntents.get(params.id!);
    if (!intent) throw noSuch("payment_intent", params.id!);
    return intent;
  }),
];
