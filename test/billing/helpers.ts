import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { expect, vi } from "vitest";
import { MICRO } from "../../src/money";
import { services } from "../../src/services";
import { consumeCrossings } from "../../src/billing/crossing";
import { wallet } from "../../src/wallet/client";
import type { Crossing } from "../../src/wallet/crossings";
import { localStripe, postToWorker, type Delivery } from "../stripe-local/harness";
import type { Company } from "../harness";

/** The worker's own Stripe platform on the local server (it uses env.STRIPE_SECRET_KEY). */
export const stripe = localStripe(env.STRIPE_SECRET_KEY);

type Api = Company["api"];
export type Buyer = Company;

/** The company's Stripe customer (made at its first checkout). */
export async function customerOf(companyId: string): Promise<string> {
  const row = await env.DB.prepare("SELECT stripe_customer_id AS id FROM billing_customers WHERE company_id = ?")
    .bind(companyId)
    .first<{ id: string }>();
  if (!row) throw new Error(`no Stripe customer for ${companyId}`);
  return row.id;
}

/** Deposits in the company's ledger (purchases and subscription credits). */
export async function deposits(companyId: string) {
  return wallet(env, companyId).history({ kinds: ["top_up", "plan"], limit: 200 });
}

/** POSTs deliveries to the worker in the given order; each must be answered 200. */
export async function deliver(deliveries: Delivery[]): Promise<void> {
  for (const delivery of deliveries) {
    const response = await postToWorker(delivery);
    const body = await response.text();
    expect(response.status, `${delivery.type}: ${body}`).toBe(200);
  }
}

/** Takes every queued event about the company's Stripe customer, oldest first. */
export async function eventsFor(companyId: string, type?: string | string[]): Promise<Delivery[]> {
  return stripe.drain({ for: await customerOf(companyId), type });
}

export function sessionIdOf(url: string): string {
  const id = new URL(url).pathname.split("/checkout/")[1];
  if (!id) throw new Error(`not a checkout URL: ${url}`);
  return id;
}

/** Checkout, then pay as the buyer would on the hosted page; returns the events Stripe queued, undelivered. */
export async function checkoutPaid(api: Api, companyId: string, input: Parameters<Api["billing"]["checkout"]["mutate"]>[0]) {
  const { url, orderId } = await api.billing.checkout.mutate(input);
  const sessionId = sessionIdOf(url);
  await stripe.control(`/checkout/sessions/${sessionId}/complete`);
  const events = await eventsFor(companyId);
  return { url, orderId, sessionId, events };
}

/** Checkout, pay, and deliver every event to the worker. */
export async function buy(api: Api, companyId: string, input: Parameters<Api["billing"]["checkout"]["mutate"]>[0]) {
  const result = await checkoutPaid(api, companyId, input);
  await deliver(result.events);
  return result;
}

export function ofType(events: Delivery[], type: string): Delivery[] {
  return events.filter((event) => event.type === type);
}

export function one(events: Delivery[], type: string): Delivery {
  const found = ofType(events, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, got ${found.length} of ${events.map((e) => e.type).join(", ")}`);
  return found[0]!;
}

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** An event payload Tessera's webhook secret signs, for events the local server does not emit (refunds, disputes). */
export async function signedEvent(type: string, object: Record<string, unknown>, timestamp?: number): Promise<Delivery> {
  const id = `evt_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const payload = JSON.stringify({
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: env.STRIPE_WEBHOOK_SECRET,
    cryptoProvider,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  return { id, type, payload, signature };
}

/**
 * Delivers a crossing to the CROSSINGS consumer the way the queue redelivers
 * it (its `attempts`-th delivery), now instead of after the backoff, and
 * says what the consumer asked of the queue (ack, or retry after a delay).
 */
export async function redeliver(crossing: Crossing, attempts: number) {
  const batch = createMessageBatch<Crossing>("tessera-crossings", [{ id: `again-${attempts}`, timestamp: new Date(), attempts, body: crossing }]);
  const retry = vi.spyOn(batch.messages[0]!, "retry");
  const ctx = createExecutionContext();
  await consumeCrossings(batch, services(env));
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryDelays: retry.mock.calls.map(([options]) => options?.delaySeconds) };
}

/** A crossing as the wallet sent it, rebuilt from its id: handlers read everything else from their own records. */
export function crossingOf(companyId: string, seq: number, watch: Crossing["watch"], threshold = 0, available = 0): Crossing {
  return { id: `${companyId}:${seq}`, companyId, watch, threshold: threshold as Crossing["threshold"], available: available as Crossing["available"], at: Date.now() };
}
