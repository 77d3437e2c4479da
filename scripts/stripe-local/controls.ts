import { invalidParam, noSuch, authenticationFailed } from "./errors.ts";
import { optionalBoolean, optionalEnum, optionalInteger, optionalString, requiredInteger, requiredString } from "./params.ts";
import type { Platform } from "./platform.ts";
import type { Faults } from "./faults.ts";
import { completeOnboarding, setPayoutsEnabled } from "./resources/accounts.ts";
import { completeCheckout } from "./resources/checkout-completion.ts";
import { getCustomer } from "./resources/customers.ts";
import { advanceSubscription } from "./resources/subscriptions.ts";
import { local, type LocalContext } from "./router.ts";
import type { DeliveryFilter } from "./outbox.ts";

/** The platform that owns `id`; when the caller sent an API key, only its own platform. */
function ownerOf(context: LocalContext, id: string, kind: string): Platform {
  const platform = context.platformKey ? context.world.platforms.get(context.platformKey) : context.world.owner(id);
  if (!platform?.find(id)) throw noSuch(kind, id);
  return platform;
}

function keyedPlatform(context: LocalContext): Platform {
  if (!context.platformKey) throw authenticationFailed("This control needs the platform's API key (Authorization: Bearer sk_test_...).");
  return context.world.platform(context.platformKey);
}

function deliveryFilter(context: LocalContext): DeliveryFilter {
  const param = (name: string) => context.query.get(name) ?? optionalString(context.body, name);
  const types = param("type");
  return {
    platformKey: context.platformKey,
    mentions: param("for") ?? undefined,
    types: types ? types.split(",") : undefined,
  };
}

/** The `/_local` routes; see the header of main.ts for the list. */
export function controlRoutes(faults: Faults) {
  return [
    local("GET", "/_local/health", () => ({ ok: true })),
    local("POST", "/_local/reset", (context) => {
      context.world.reset(context.platformKey);
      faults.clear(context.platformKey);
      return { ok: true };
    }),
    local("POST", "/_local/checkout/sessions/:id/complete", (context) => {
      const id = context.params.id!;
      const decline = optionalString(context.body, "card") === "fail";
      return completeCheckout(ownerOf(context, id, "checkout.session"), id, { decline });
    }),
    local("POST", "/_local/checkout/sessions/:id/fail", (context) => {
      const id = context.params.id!;
      return completeCheckout(ownerOf(context, id, "checkout.session"), id, { decline: true });
    }),
    local("POST", "/_local/customers/:id/card", (context) => {
      const id = context.params.id!;
      const platform = ownerOf(context, id, "customer");
      const outcome = optionalEnum(context.body, "outcome", ["decline", "succeed"] as const);
      if (!outcome) throw invalidParam("outcome", "outcome must be `decline` or `succeed`.", "parameter_missing");
      if (outcome === "decline") platform.decliningCustomers.add(id);
      else platform.decliningCustomers.delete(id);
      return getCustomer(platform, id);
    }),
    local("POST", "/_local/subscriptions/:id/advance", (context) => {
      const id = context.params.id!;
      return advanceSubscription(ownerOf(context, id, "subscription"), id);
    }),
    local("POST", "/_local/accounts/:id/onboarding", (context) => {
      const id = context.params.id!;
      return completeOnboarding(ownerOf(context, id, "account"), id);
    }),
    local("POST", "/_local/accounts/:id/payouts", (context) => {
      const id = context.params.id!;
      const enabled = optionalBoolean(context.body, "enabled");
      if (enabled === undefined) throw invalidParam("enabled", "enabled must be `true` or `false`.", "parameter_missing");
      return setPayoutsEnabled(ownerOf(context, id, "account"), id, enabled);
    }),
    local("POST", "/_local/balance", (context) => {
      const platform = keyedPlatform(context);
      const amount = requiredInteger(context.body, "amount");
      if (amount < 0) throw invalidParam("amount", "amount must be at least 0.");
      platform.balance = amount;
      return { object: "balance", available: [{ amount, currency: "usd" }] };
    }),
    local("POST", "/_local/faults", (context) => {
      const kind = optionalEnum(context.body, "error", ["api_error", "card_declined"] as const) ?? "api_error";
      const count = optionalInteger(context.body, "count") ?? 1;
      const path = requiredString(context.body, "path");
      const method = optionalString(context.body, "method")?.toUpperCase();
      faults.add({ platformKey: context.platformKey, method, path, remaining: count, kind });
      return { ok: true, path, method: method ?? null, count, error: kind };
    }),
    local("GET", "/_local/deliveries", (context) => context.world.outbox.list(deliveryFilter(context))),
    local("POST", "/_local/deliveries/drain", (context) => context.world.outbox.drain(deliveryFilter(context))),
  ];
}
