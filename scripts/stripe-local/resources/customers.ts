import { now } from "../clock.ts";
import { invalidParam, noSuch } from "../errors.ts";
import type { FormObject } from "../form.ts";
import { newId } from "../ids.ts";
import { mergeMetadata, optionalObject, optionalString } from "../params.ts";
import { changedFields, type Platform } from "../platform.ts";
import { api, type ApiContext } from "../router.ts";
import type { CustomerWire } from "../types.ts";

export function createCustomer(platform: Platform, params: FormObject): CustomerWire {
  const customer: CustomerWire = {
    id: newId("cus_", 14),
    object: "customer",
    address: null,
    balance: 0,
    created: now(),
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: optionalString(params, "description") ?? null,
    discount: null,
    email: optionalString(params, "email") ?? null,
    invoice_prefix: newId("", 8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: mergeMetadata({}, params),
    name: optionalString(params, "name") ?? null,
    next_invoice_sequence: 1,
    phone: optionalString(params, "phone") ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
  platform.customers.set(customer.id, customer);
  return customer;
}

export function getCustomer(platform: Platform, id: string, param = "id"): CustomerWire {
  const customer = platform.customers.get(id);
  if (!customer) throw noSuch("customer", id, param);
  return customer;
}

function updateCustomer({ platform, params, body }: ApiContext): CustomerWire {
  const customer = getCustomer(platform, params.id!);
  const before = structuredClone(customer);
  for (const field of ["email", "name", "description", "phone"] as const) {
    const value = optionalString(body, field);
    if (value !== undefined) customer[field] = value === "" ? null : value;
  }
  customer.metadata = mergeMetadata(customer.metadata, body);
  const settings = optionalObject(body, "invoice_settings");
  if (settings) {
    const method = optionalString(settings, "default_payment_method", "invoice_settings[default_payment_method]");
    if (method !== undefined) {
      if (method !== "" && platform.paymentMethods.get(method)?.customer !== customer.id) {
        throw invalidParam(
          "invoice_settings[default_payment_method]",
          `No such PaymentMethod: '${method}'; it must be attached to customer ${customer.id} first.`,
          "resource_missing",
        );
      }
      customer.invoice_settings.default_payment_method = method === "" ? null : method;
    }
  }
  const previous = changedFields(before, customer);
  if (Object.keys(previous).length > 0) platform.emit("customer.updated", customer, { previous });
  return customer;
}

export const customerRoutes = [
  api("POST", "/v1/customers", ({ platform, body }) => {
    const customer = createCustomer(platform, body);
    platform.emit("customer.created", customer);
    return customer;
  }),
  api("GET", "/v1/customers/:id", ({ platform, params }) => getCustomer(platform, params.id!)),
  api("POST", "/v1/customers/:id", updateCustomer),
];
