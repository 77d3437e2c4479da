/**
 * The payment terms of a `402 INSUFFICIENT_CREDITS`, for agents as much as
 * for people: the price in credits and USD, what is available, what is
 * missing and where to top up, in the body (`error.details.payment`) and as
 * a `WWW-Authenticate: Payment` challenge shaped as the IETF draft "The
 * 'Payment' HTTP Authentication Scheme" (draft-ryan-httpauth-payment, the
 * scheme of Stripe and Tempo's Machine Payments Protocol) describes:
 *
 *   Payment id="…", realm="<host>", method="tessera", intent="charge",
 *           request="<base64url of the JCS JSON below>", expires="…", description="…"
 *
 * `request` is `{ amount, currency: "tessera_credit", decimals: 6, methodDetails }`:
 * the amount in micro-credits (the credit's base unit), and in
 * `methodDetails` the USD price, the balance and the top-up links. The
 * challenge id is an HMAC over the other parameters (the draft's binding),
 * keyed from KEY_SECRET. Tessera takes no `Authorization: Payment`
 * credential in-band: credits are bought through Checkout (a person pays),
 * then the call is simply made again.
 */
import { formatDecimal } from "../money";
import type { ErrorBody, MeteredAnswer, Shortfall } from "./billing";

/** How long an agent may read the challenge as current: prices and balances move. */
const CHALLENGE_TTL_MS = 5 * 60_000;

export interface PaymentTerms {
  price_credits: number;
  price_usd: number | null;
  available_credits: number;
  shortfall_credits: number;
  top_up: {
    /** A Stripe Checkout for credits: POST, JSON body as in the catalogue (a person pays at the returned URL). */
    checkout: string;
    /** Bundles, plans and the price of one credit: GET, no key needed. */
    catalogue: string;
    /** The same Checkout from an MCP client. */
    mcp_tool: "buy_credits";
  };
  challenge: PaymentChallenge;
}

export interface PaymentChallenge {
  id: string;
  realm: string;
  method: "tessera";
  intent: "charge";
  /** The decoded `request` parameter. */
  request: PaymentRequest;
  expires: string;
  description: string;
  /** The `WWW-Authenticate` value, as sent on HTTP. */
  header: string;
}

export interface PaymentRequest {
  amount: string;
  currency: "tessera_credit";
  decimals: 6;
  methodDetails: {
    priceUsd: string | null;
    availableCredits: string;
    shortfallCredits: string;
    checkout: string;
    catalogue: string;
  };
}

/**
 * The answer with its payment terms and challenge when it is a 402 for lack
 * of credits; any other answer unchanged. `origin` is where the caller
 * reached Tessera, so the links work from where they are.
 */
export async function withPaymentTerms<T>(
  env: Pick<Env, "KEY_SECRET">,
  origin: string,
  answer: MeteredAnswer<T>,
  now = Date.now(),
): Promise<MeteredAnswer<T>> {
  if (answer.status !== 402 || !answer.shortfall) return answer;
  const terms = await paymentTerms(env, origin, answer.shortfall, answer.billing.price_usd ?? null, now);
  const body = answer.body as ErrorBody;
  return {
    ...answer,
    body: { ...body, error: { ...body.error, details: { ...body.error.details, payment: terms } } },
    headers: { ...answer.headers, "WWW-Authenticate": terms.challenge.header, "Cache-Control": "no-store" },
  };
}

export async function paymentTerms(
  env: Pick<Env, "KEY_SECRET">,
  origin: string,
  shortfall: Shortfall,
  priceUsd: number | null,
  now: number,
): Promise<PaymentTerms> {
  const due = shortfall.dueCredits;
  const missing = Math.max(due - shortfall.availableCredits, 0);
  const checkout = `${origin}/trpc/billing.checkout`;
  const catalogue = `${origin}/trpc/billing.catalogue`;
  const request: PaymentRequest = {
    amount: String(due),
    currency: "tessera_credit",
    decimals: 6,
    methodDetails: {
      priceUsd: priceUsd === null ? null : String(priceUsd),
      availableCredits: formatDecimal(shortfall.availableCredits),
      shortfallCredits: formatDecimal(missing),
      checkout,
      catalogue,
    },
  };
  const realm = new URL(origin).host;
  const expires = new Date(now + CHALLENGE_TTL_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
  const description = `${formatDecimal(due)} credits${priceUsd === null ? "" : ` ($${priceUsd})`}; ${formatDecimal(missing)} more needed`;
  const encoded = base64url(canonicalJson(request));
  const id = await challengeId(env.KEY_SECRET, [realm, "tessera", "charge", encoded, expires, "", ""]);
  const header = `Payment id="${id}", realm="${realm}", method="tessera", intent="charge", request="${encoded}", expires="${expires}", description="${description}"`;
  return {
    price_credits: Number(formatDecimal(due)),
    price_usd: priceUsd,
    available_credits: Number(formatDecimal(shortfall.availableCredits)),
    shortfall_credits: Number(formatDecimal(missing)),
    top_up: { checkout, catalogue, mcp_tool: "buy_credits" },
    challenge: { id, realm, method: "tessera", intent: "charge", request, expires, description, header },
  };
}

/**
 * The draft's id binding: HMAC-SHA256 over realm|method|intent|request|expires|digest|opaque,
 * base64url. The key is derived from KEY_SECRET for this use alone.
 */
async function challengeId(secret: string, slots: string[]): Promise<string> {
  const bytes = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", bytes.encode(`payment-challenge:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes.encode(slots.join("|")))));
}

/** RFC 8785 (JCS) for the plain JSON used here: sorted keys, no whitespace; strings and small integers only. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

function base64url(input: string | Uint8Array): string {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
