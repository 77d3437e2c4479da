import { now } from "../clock.ts";
import { invalidParam, noSuch } from "../errors.ts";
import type { FormObject } from "../form.ts";
import { newId } from "../ids.ts";
import { mergeMetadata, optionalEnum, optionalObject, optionalString, requiredString } from "../params.ts";
import { changedFields, type Platform, type RequestRef } from "../platform.ts";
import { api } from "../router.ts";
import type { AccountWire } from "../types.ts";

type Requirements = NonNullable<AccountWire["requirements"]>;

// What Stripe asks a new Express account for before it can be paid out.
const onboardingDue = ["business_type", "external_account", "tos_acceptance.date", "tos_acceptance.ip"];

function requirements(due: string[]): Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: due,
    disabled_reason: due.length > 0 ? "requirements.past_due" : null,
    errors: [],
    eventually_due: due,
    past_due: due,
    pending_verification: [],
  };
}

function requestedCapabilities(body: FormObject): string[] {
  const capabilities = optionalObject(body, "capabilities");
  if (!capabilities) return ["transfers"];
  return Object.entries(capabilities)
    .filter(([name, value]) => typeof value === "object" && !Array.isArray(value) && optionalString(value, "requested", `capabilities[${name}][requested]`) === "true")
    .map(([name]) => name);
}

/** A Connect account for a seller: not yet onboarded, so nothing is enabled. */
function createAccount(platform: Platform, body: FormObject): AccountWire {
  const type = optionalEnum(body, "type", ["express", "standard", "custom"] as const) ?? "express";
  const capabilities = Object.fromEntries(requestedCapabilities(body).map((name) => [name, "inactive"]));
  const account: AccountWire = {
    id: newId("acct_", 16),
    object: "account",
    business_type: optionalEnum(body, "business_type", ["company", "government_entity", "individual", "non_profit"] as const) ?? null,
    capabilities,
    charges_enabled: false,
    controller: { is_controller: true, type: "application" },
    country: (optionalString(body, "country") ?? "US").toUpperCase(),
    created: now(),
    default_currency: "usd",
    details_submitted: false,
    email: optionalString(body, "email") ?? null,
    external_accounts: { object: "list", data: [], has_more: false, url: "" },
    future_requirements: requirements([]),
    metadata: mergeMetadata({}, body),
    payouts_enabled: false,
    requirements: requirements(onboardingDue),
    tos_acceptance: { date: null, ip: null, user_agent: null },
    type,
  };
  account.external_accounts!.url = `/v1/accounts/${account.id}/external_accounts`;
  platform.accounts.set(account.id, account);
  return account;
}

export function getAccount(platform: Platform, id: string, param = "id"): AccountWire {
  const account = platform.accounts.get(id);
  if (!account) throw noSuch("account", id, param);
  return account;
}

/** The seller finished Stripe's onboarding: everything is enabled. Emits account.updated. */
export function completeOnboarding(platform: Platform, id: string, request?: RequestRef): AccountWire {
  const account = getAccount(platform, id);
  const before = structuredClone(account);
  account.details_submitted = true;
  account.charges_enabled = true;
  account.payouts_enabled = true;
  account.business_type ??= "individual";
  account.capabilities = Object.fromEntries(Object.keys(account.capabilities ?? { transfers: "" }).map((name) => [name, "active"]));
  account.requirements = requirements([]);
  account.tos_acceptance = { date: now(), ip: "127.0.0.1", user_agent: "stripe-local" };
  return emitUpdated(platform, before, account, request);
}

/**
 * Stripe restricted the account (e.g. a bank account was rejected): payouts
 * and transfers stop until it is fixed. `enabled=true` lifts the restriction.
 */
export function setPayoutsEnabled(platform: Platform, id: string, enabled: boolean): AccountWire {
  const account = getAccount(platform, id);
  const before = structuredClone(account);
  account.payouts_enabled = enabled;
  account.capabilities = { ...account.capabilities, transfers: enabled ? "active" : "inactive" };
  account.requirements = requirements(enabled ? [] : ["external_account"]);
  return emitUpdated(platform, before, account);
}

function emitUpdated(platform: Platform, before: AccountWire, account: AccountWire, request?: RequestRef): AccountWire {
  const previous = changedFields(before, account);
  // Connect events carry the connected account's id, as on a Connect webhook endpoint.
  if (Object.keys(previous).length > 0) platform.emit("account.updated", account, { previous, request, account: account.id });
  return account;
}

export const accountRoutes = [
  api("POST", "/v1/accounts", ({ platform, body }) => {
    if (optionalString(body, "type") === undefined && !optionalObject(body, "controller")) {
      throw invalidParam("type", "You must specify either `type` or `controller` when creating an account.", "parameter_missing");
    }
    return createAccount(platform, body);
  }),
  api("GET", "/v1/accounts/:id", ({ platform, params }) => getAccount(platform, params.id!)),
  api("DELETE", "/v1/accounts/:id", ({ platform, params }) => {
    const account = getAccount(platform, params.id!);
    platform.accounts.delete(account.id);
    return { id: account.id, object: "account", deleted: true };
  }),
  api("POST", "/v1/account_links", ({ platform, body }) => {
    const account = getAccount(platform, requiredString(body, "account"), "account");
    const type = optionalEnum(body, "type", ["account_onboarding", "account_update"] as const);
    if (!type) throw invalidParam("type", "Missing required param: type.", "parameter_missing");
    const returnUrl = requiredString(body, "return_url");
    const refreshUrl = optionalString(body, "refresh_url") ?? returnUrl;
    const created = now();
    const token = newId("", 32);
    platform.onboardingLinks.set(token, { account: account.id, returnUrl, refreshUrl, expiresAt: created + 300, used: false });
    return { object: "account_link", created, expires_at: created + 300, url: `${platform.baseUrl}/connect/onboarding/${token}` };
  }),
];
