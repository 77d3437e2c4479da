/**
 * Refunds and disputes in every order relative to the payment they reverse.
 * Stripe does not order events and never redelivers after a 2xx, so each
 * ordering (twins, redeliveries, all at once) must end the same way: the
 * payment's credits deposited once and taken back once, the order reversed.
 */
import { env } from "cloudflare:workers";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { MICRO } from "../../src/money";
import { wallet } from "../../src/wallet/client";
import { postToWorker, type Delivery } from "../stripe-local/harness";
import { checkoutPaid, deliver, eventsFor, one, signedEvent, stripe, type Buyer } from "./helpers";
import { h, available, fullScale } from "../harness";

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

type Name = "payment" | "twin" | "refund" | "dispute";

interface HeldPayment {
  b: Buyer;
  orderId: string;
  paymentIntentId: string;
  /** What the payment credits, in whole credits. */
  credits: number;
  /** Events that are neither the payment nor its reversal, delivered first. */
  others: Delivery[];
  events: Record<Name, Delivery>;
}

/** The refund and the dispute Stripe would send for a payment. */
async function reversalsOf(paymentIntentId: string, cents: number) {
  const tag = crypto.randomUUID().slice(0, 8);
  return {
    refund: await signedEvent("charge.refunded", {
      id: `ch_${tag}`, object: "charge", payment_intent: paymentIntentId, refunded: true, amount: cents, amount_refunded: cents,
    }),
    dispute: await signedEvent("charge.dispute.created", { id: `dp_${tag}`, object: "dispute", payment_intent: paymentIntentId, amount: cents }),
  };
}

/** A bundle paid at Stripe, with its events held back: the payment is checkout.session.completed, its twin payment_intent.succeeded. */
async function heldBundle(): Promise<HeldPayment> {
  const b = await h.buyer();
  const { orderId, events } = await checkoutPaid(b.api, b.company.id, { kind: "bundle", bundle: "starter" });
  const payment = one(events, "checkout.session.completed");
  const twin = one(events, "payment_intent.succeeded");
  const paymentIntentId = (JSON.parse(twin.payload).data.object as Stripe.PaymentIntent).id;
  const others = events.filter((e) => e !== payment && e !== twin);
  return { b, orderId, paymentIntentId, credits: 55, others, events: { payment, twin, ...(await reversalsOf(paymentIntentId, 2500)) } };
}

/** A plan's first period paid at Stripe, events held back: the payment is invoice.paid, its twin checkout.session.completed. */
async function heldPlan(): Promise<HeldPayment> {
  const b = await h.buyer();
  const { orderId, events } = await checkoutPaid(b.api, b.company.id, { kind: "plan", plan: "startup_monthly" });
  const payment = one(events, "invoice.paid");
  const twin = one(events, "checkout.session.completed");
  const invoiceId = (JSON.parse(payment.payload).data.object as Stripe.Invoice).id;
  const invoice = await stripe.stripe.invoices.retrieve(invoiceId, { expand: ["payments"] });
  const paymentIntentId = invoice.payments!.data[0]!.payment.payment_intent as string;
  const others = events.filter((e) => e !== payment && e !== twin);
  return { b, orderId, paymentIntentId, credits: 113, others, events: { payment, twin, ...(await reversalsOf(paymentIntentId, 4750)) } };
}

/** Balance, order and ledger after the payment and its reversal, in whatever order they came. */
async function expectReversedOnce(held: HeldPayment, kind: "top_up" | "plan", paidBy: string, what = "") {
  const { b, orderId, paymentIntentId, credits } = held;
  expect(await available(b.company.id), what).toBe(0);
  expect(await b.api.billing.order.query({ id: orderId }), what).toMatchObject({ status: "reversed", reversedCredits: credits, totalCredits: credits });
  const row = await env.DB.prepare("SELECT reversal_shortfall AS shortfall FROM credit_orders WHERE id = ?").bind(orderId).first();
  expect(row, what).toEqual({ shortfall: 0 });
  const ledger = await wallet(env, b.company.id).history({ limit: 50 });
  expect(ledger.map((e) => ({ kind: e.kind, operationId: e.operationId, amount: e.amount })), what).toEqual([
    { kind: "adjustment", operationId: `stripe-reversal:${paymentIntentId}`, amount: -credits * MICRO },
    { kind, operationId: `stripe:${paidBy}`, amount: credits * MICRO },
  ]);
}

const events: Name[] = ["payment", "twin", "refund", "dispute"];
/** The four rotations of a sequence: each event once in every position. */
const rotations = (items: Name[]) => items.map((_, i) => [...items.slice(i), ...items.slice(0, i)]);
// All 24 orders nightly; in CI the rotations of the events and of their reverse: every
// event in every position twice, and every event both before and after every other.
const orders = fullScale ? permutations(events) : [...rotations(events), ...rotations([...events].reverse())];

/** Runs `round` for every item, four at a time (each round has a buyer of its own). */
async function inGroups<T>(items: T[], round: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 4) await Promise.all(items.slice(i, i + 4).map(round));
}

// One test per kind of payment, looping over the orders: every \`it\` snapshots the file's storage, which grows.
describe(`payment, twin, refund and dispute in each of ${orders.length} orders, then all redelivered: credited once, taken back once`, () => {
  it("a bundle (payment: checkout.session.completed, twin: payment_intent.succeeded)", { timeout: 300_000 }, async () => {
    await inGroups(orders, async (order) => {
      const held = await heldBundle();
      await deliver(held.others);
      await deliver(order.map((name) => held.events[name]));
      await expectReversedOnce(held, "top_up", held.paymentIntentId, order.join(" → "));
      await deliver([...order].reverse().map((name) => held.events[name]));
      await expectReversedOnce(held, "top_up", held.paymentIntentId, `${order.join(" → ")}, redelivered`);
    });
  });

  it("a plan's first period (payment: invoice.paid, twin: checkout.session.completed)", { timeout: 300_000 }, async () => {
    await inGroups(orders, async (order) => {
      const held = await heldPlan();
      const invoiceId = (JSON.parse(held.events.payment.payload).data.object as Stripe.Invoice).id;
      // The subscription's own events (created, customer) credit nothing; left out to keep 24 rounds quick.
      await deliver(order.map((name) => held.events[name]));
      await expectReversedOnce(held, "plan", invoiceId, order.join(" → "));
      await deliver([...order].reverse().map((name) => held.events[name]));
      await expectReversedOnce(held, "plan", invoiceId, `${order.join(" → ")}, redelivered`);
    });
  });
});

describe("reversals delivered at the same time as their payment", () => {
  it("every event twice, all at once: credited once, taken back once", { timeout: 120_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const held = await heldBundle();
      await deliver(held.others);
      const all = Object.values(held.events);
      const responses = await Promise.all([...all, ...all].map((event) => postToWorker(event)));
      // A delivery may lose a race and ask Stripe to retry (non-2xx); Stripe then redelivers it.
      const retried = all.filter((_, i) => responses[i]!.status !== 200 || responses[i + all.length]!.status !== 200);
      await Promise.all(responses.map((r) => r.arrayBuffer()));
      await deliver(retried);
      await expectReversedOnce(held, "top_up", held.paymentIntentId);
    }
  });
});

describe("a refund ahead of its payment", () => {
  it("is answered 200 and applied when the payment lands, not before", async () => {
    const held = await heldBundle();
    await deliver([held.events.refund]);
    expect(await available(held.b.company.id)).toBe(0);
    expect(await held.b.api.billing.order.query({ id: held.orderId })).toMatchObject({ status: "pending", reversedCredits: null });
    expect(await wallet(env, held.b.company.id).history({ limit: 10 })).toEqual([]);
    await deliver([...held.others, held.events.payment]);
    await expectReversedOnce(held, "top_up", held.paymentIntentId);
  });

  it("of a renewal, before the renewal's invoice is paid, takes the renewal's credits back", async () => {
    const b = await h.buyer();
    const { events } = await checkoutPaid(b.api, b.company.id, { kind: "plan", plan: "startup_monthly" });
    await deliver(events);
    expect(await available(b.company.id)).toBe(113);
    const subscription = (await b.api.billing.plan.query())!;
    await stripe.control(`/subscriptions/${subscription.id}/advance`);
    const renewal = await eventsFor(b.company.id);
    const invoice = JSON.parse(one(renewal, "invoice.paid").payload).data.object as Stripe.Invoice;
    const paid = await stripe.stripe.invoices.retrieve(invoice.id, { expand: ["payments"] });
    const paymentIntentId = paid.payments!.data[0]!.payment.payment_intent as string;
    const { refund } = await reversalsOf(paymentIntentId, 4750);

    await deliver([refund]);
    expect(await available(b.company.id)).toBe(113);
    await deliver(renewal);
    expect(await available(b.company.id)).toBe(113);
    const [order] = (await b.api.billing.orders.query()).items;
    expect(order).toMatchObject({ kind: "plan_renewal", status: "reversed", reversedCredits: 113 });
    const ledger = await wallet(env, b.company.id).history({ limit: 50 });
    expect(ledger.map((e) => [e.kind, e.operationId, e.amount])).toEqual([
      ["adjustment", `stripe-reversal:${paymentIntentId}`, -113 * MICRO],
      ["plan", `stripe:${invoice.id}`, 113 * MICRO],
      ["plan", expect.stringMatching(/^stripe:in_/), 113 * MICRO],
    ]);
  });

  it("of a payment that is not Tessera's is acknowledged and moves nothing", async () => {
    const held = await heldBundle();
    const { refund, dispute } = await reversalsOf("pi_not_ours", 1000);
    await deliver([refund, dispute, ...held.others, held.events.payment, held.events.twin]);
    expect(await available(held.b.company.id)).toBe(55);
    expect(await held.b.api.billing.order.query({ id: held.orderId })).toMatchObject({ status: "paid", reversedCredits: null });
  });
});
