import { now } from "../clock.ts";
import { noSuch } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Platform } from "../platform.ts";
import { api } from "../router.ts";
import type { SetupIntentWire } from "../types.ts";

/** A SetupIntent that already succeeded: what a completed setup-mode Checkout leaves behind. */
export function createSucceededSetupIntent(
  platform: Platform,
  customer: string | null,
  paymentMethod: string,
  metadata: Record<string, string>,
): SetupIntentWire {
  const id = newId("seti_");
  const intent: SetupIntentWire = {
    id,
    object: "setup_intent",
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${newId("", 24)}`,
    created: now(),
    customer,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    single_use_mandate: null,
    status: "succeeded",
    usage: "off_session",
  };
  platform.setupIntents.set(intent.id, intent);
  return intent;
}

export const setupIntentRoutes = [
  api("GET", "/v1/setup_intents/:id", ({ platform, params }) => {
    const intent = platform.setupIntents.get(params.id!);
    if (!intent) throw noSuch("setupintent", params.id!);
    return intent;
  }),
];
