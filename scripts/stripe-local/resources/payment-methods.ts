import { now } from "../clock.ts";
import { noSuch } from "../errors.ts";
import { newId } from "../ids.ts";
import { newestFirst, page } from "../list.ts";
import type { Platform } from "../platform.ts";
import { api } from "../router.ts";
import type { PaymentMethodWire } from "../types.ts";
import { getCustomer } from "./customers.ts";

/** The test card a hosted page "collects": Visa 4242, attached to the customer when there is one. */
export function createCard(platform: Platform, customer: string | null, email: string | null): PaymentMethodWire {
  const year = new Date().getUTCFullYear() + 3;
  const method: PaymentMethodWire = {
    id: newId("pm_"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: { address: null, email, name: null, phone: null, tax_id: null },
    card: {
      brand: "visa",
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      display_brand: "visa",
      exp_month: 12,
      exp_year: year,
      fingerprint: "LocalTestCard4242",
      funding: "credit",
      generated_from: null,
      last4: "4242",
      networks: { available: ["visa"], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: now(),
    customer,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "card",
  };
  platform.paymentMethods.set(method.id, method);
  return method;
}

export function getPaymentMethod(platform: Platform, id: string, param = "id"): PaymentMethodWire {
  const method = platform.paymentMethods.get(id);
  if (!method) throw noSuch("PaymentMethod", id, param);
  return method;
}

export const paymentMethodRoutes = [
  api("GET", "/v1/payment_methods/:id", ({ platform, params }) => getPaymentMethod(platform, params.id!)),
  api("GET", "/v1/customers/:id/payment_methods", ({ platform, params, body }) => {
    const customer = getCustomer(platform, params.id!);
    const methods = [...platform.paymentMethods.values()].filter((method) => method.customer === customer.id);
    return page(newestFirst(methods), `/v1/customers/${customer.id}/payment_methods`, body);
  }),
];
