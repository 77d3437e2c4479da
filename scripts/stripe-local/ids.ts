import { randomBytes } from "node:crypto";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An id the way Stripe writes them: a type prefix and random base62. */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/** Which collection an id belongs to, from its prefix. */
export const idPrefixes = {
  customer: "cus_",
  checkoutSession: "cs_test_",
  paymentIntent: "pi_",
  paymentMethod: "pm_",
  setupIntent: "seti_",
  subscription: "sub_",
  subscriptionItem: "si_",
  invoice: "in_",
  invoiceLine: "il_",
  invoicePayment: "inpay_",
  price: "price_",
  product: "prod_",
  account: "acct_",
  transfer: "tr_",
  event: "evt_",
  request: "req_",
  charge: "ch_",
  balanceTransaction: "txn_",
} as const;
