import { env, exports } from "cloudflare:workers";
import { stripeClient, type StripeEnv } from "../../src/stripe";

/** A webhook delivery queued by the local Stripe server, as `GET /_local/deliveries` returns it. */
export interface Delivery {
  id: string;
  type: string;
  /** The exact raw body Stripe would POST. */
  payload: string;
  /** A fresh `Stripe-Signature` header for `payload`. */
  signature: string;
}

/**
 * The local Stripe server (started by test/global-setup.ts) as a test sees it.
 * By default a platform of its own: a fresh secret key, so balance, declines
 * and deliveries never mix with other test files. Pass `env.STRIPE_SECRET_KEY`
 * to share the worker's platform (to test code that calls `stripeClient(env)`).
 */
export function localStripe(secretKey = `sk_test_${crypto.randomUUID().replaceAll("-", "")}`) {
  const stripeEnv: StripeEnv = { STRIPE_API_BASE: env.STRIPE_API_BASE, STRIPE_SECRET_KEY: secretKey };
  const headers = { authorization: `Bearer ${secretKey}` };

  async function call<T>(method: string, path: string, form: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${env.STRIPE_API_BASE}${path}`, {
      method,
      headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
      body: method === "GET" ? undefined : new URLSearchParams(form).toString(),
    });
    const body = (await response.json()) as T & { error?: { message: string } };
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${body.error?.message}`);
    return body;
  }

  return {
    secretKey,
    env: stripeEnv,
    stripe: stripeClient(stripeEnv),

    /** POST a `/_local/...` test control. */
    control: <T = unknown>(path: string, form?: Record<string, string>) => call<T>("POST", `/_local${path}`, form),

    /** Takes (removes) the queued deliveries that mention `id`, optionally of some types, oldest first. */
    async drain(filter: { for?: string; type?: string | string[] } = {}): Promise<Delivery[]> {
      const query = new URLSearchParams();
      if (filter.for) query.set("for", filter.for);
      if (filter.type) query.set("type", [filter.type].flat().join(","));
      return call<Delivery[]>("POST", `/_local/deliveries/drain?${query}`);
    },

    /** Exactly one delivery of `type` mentioning `id`, taken from the queue. */
    async delivery(type: string, id: string): Promise<Delivery> {
      const found = await this.drain({ for: id, type });
      if (found.length !== 1) throw new Error(`expected one ${type} delivery for ${id}, got ${found.length}`);
      return found[0]!;
    },
  };
}

/** Feeds a delivery to the worker as Stripe would POST it. */
export function postToWorker(delivery: Delivery, path = "/webhooks/stripe"): Promise<Response> {
  return exports.default.fetch(`http://tessera.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": delivery.signature },
    body: delivery.payload,
  });
}
