import Stripe from "stripe";
import { TesseraError } from "./errors";

/**
 * The Stripe SDK as the worker uses it: fetch for HTTP and SubtleCrypto for
 * signatures, both of which workerd provides. STRIPE_API_BASE is an origin
 * (`https://api.stripe.com` in production, the local Stripe server of
 * scripts/stripe-local in development and tests); the SDK adds `/v1/...`.
 */
export type StripeEnv = Pick<Env, "STRIPE_API_BASE" | "STRIPE_SECRET_KEY">;
export type WebhookEnv = Pick<Env, "STRIPE_WEBHOOK_SECRET">;

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** One client per isolate and configuration, as Stripe recommends: it holds no I/O, each call fetches anew. */
const clients = new Map<string, Stripe>();

/**
 * Without a secret key (a worker run without Stripe, like the bench) every
 * request still works; only reaching Stripe fails, and says why.
 */
const unconfigured = new Proxy({} as Stripe, {
  get() {
    throw new TesseraError("INTERNAL", "Stripe is not configured: set the STRIPE_SECRET_KEY secret.");
  },
});

export function stripeClient(env: StripeEnv): Stripe {
  if (!env.STRIPE_SECRET_KEY) return unconfigured;
  const key = `${env.STRIPE_API_BASE} ${env.STRIPE_SECRET_KEY}`;
  let client = clients.get(key);
  if (!client) {
    const base = new URL(env.STRIPE_API_BASE);
    const protocol = base.protocol === "http:" ? "http" : "https";
    client = new Stripe(env.STRIPE_SECRET_KEY, {
      host: base.hostname,
      port: base.port || (protocol === "http" ? 80 : 443),
      protocol,
      httpClient: Stripe.createFetchHttpClient(),
    });
    clients.set(key, client);
  }
  return client;
}

/** How far a webhook signature's timestamp may be from our clock, either way (Stripe's default). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Checks a webhook's `Stripe-Signature` against the raw body (exactly as
 * received: re-serialized JSON would not match) and returns the event.
 * A missing or forged signature, or one dated more than 5 minutes from now
 * in either direction, is BAD_REQUEST.
 */
export async function verifyWebhook(
  env: WebhookEnv,
  rawBody: string,
  signatureHeader: string | null | undefined,
  nowMs = Date.now(),
): Promise<Stripe.Event> {
  if (!env.STRIPE_WEBHOOK_SECRET) throw new TesseraError("INTERNAL", "STRIPE_WEBHOOK_SECRET is not configured");
  if (!signatureHeader) throw new TesseraError("BAD_REQUEST", "Missing Stripe-Signature header");
  try {
    // The SDK refuses only signatures too old; one dated ahead of our clock is refused here.
    if (signedAt(signatureHeader) - Math.floor(nowMs / 1000) > WEBHOOK_TOLERANCE_SECONDS) {
      throw new TesseraError("BAD_REQUEST", "Invalid Stripe webhook signature");
    }
    return await Stripe.webhooks.constructEventAsync(
      rawBody,
      signatureHeader,
      env.STRIPE_WEBHOOK_SECRET,
      WEBHOOK_TOLERANCE_SECONDS,
      cryptoProvider,
      nowMs,
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new TesseraError("BAD_REQUEST", "Invalid Stripe webhook signature");
    }
    throw error;
  }
}

/** The `t=` of a Stripe-Signature header, read as the SDK reads it (the last one counts). */
function signedAt(header: string): number {
  let t = -1;
  for (const item of header.split(",")) {
    const [key, value] = item.split("=");
    if (key === "t") t = parseInt(value ?? "", 10);
  }
  return Number.isNaN(t) ? -1 : t;
}

/**
 * Runs a Stripe call and turns its failures into Tessera errors: a declined
 * card is PAYMENT_FAILED (402), anything else Stripe refused or could not do
 * is STRIPE_ERROR (502). Tessera's own errors pass through.
 */
export async function stripeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asTesseraError(what, error);
  }
}

export function asTesseraError(what: string, error: unknown): unknown {
  if (error instanceof TesseraError) return error;
  if (error instanceof Stripe.errors.StripeCardError) {
    return new TesseraError("PAYMENT_FAILED", `The card was declined: ${error.message}`);
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new TesseraError("STRIPE_ERROR", `Stripe could not ${what}: ${error.message}`);
  }
  return error;
}

/** Stripe ids arrive as a string or an expanded object. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

/** Stripe does not know the object (deleted, or never made with this key). */
export function isMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && (error.statusCode === 404 || error.code === "resource_missing");
}
