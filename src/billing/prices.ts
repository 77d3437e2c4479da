/**
 * Stripe Prices for plans. A subscription needs a stored recurring Price (an
 * upgrade swaps one Price for another), so Tessera creates each plan's Price
 * on demand and caches its id in D1 (`stripe_prices`). The lookup key
 * `tessera:<plan>:<cents>` names a plan at one price: when the credit value
 * changes, new checkouts get a new Price and running subscriptions keep the
 * one they were sold. Before creating, the key is looked up in Stripe, so a
 * fresh database (or a second deployment) reuses what Stripe already has; the
 * idempotency key makes two concurrent first checkouts create one Price.
 *
 * On-demand credits and bundles need no stored Price: their Checkout Sessions
 * carry inline `price_data`.
 */
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { stripePrices } from "../db/schema";
import type { Usd } from "../money";
import { asTesseraError, isMissing, stripeCall, stripeClient } from "../stripe";
import { findItem, itemPriceCents, type Plan } from "./catalogue";
import type { Services } from "../services";

export interface PlanPrice {
  stripePriceId: string;
  plan: Plan;
  unitAmountCents: number;
  usdPerCredit: Usd;
}

/** The Stripe Price of `plan` at `usdPerCredit`, created once. */
export async function ensurePlanPrice(ctx: Services, plan: Plan, usdPerCredit: Usd): Promise<PlanPrice> {
  const cents = itemPriceCents(plan, usdPerCredit);
  const lookupKey = `tessera:${plan.id}:${cents}`;
  const cached = await ctx.db.query.stripePrices.findFirst({ where: eq(stripePrices.lookupKey, lookupKey) });
  if (cached) return { stripePriceId: cached.stripePriceId, plan, unitAmountCents: cents, usdPerCredit: cached.usdPerCredit as Usd };

  const stripe = ctx.stripe;
  const price = await stripeCall("set up the plan's price", async () => {
    const found = await stripe.prices.list({ lookup_keys: [lookupKey], limit: 1 });
    if (found.data[0]) return found.data[0];
    return stripe.prices.create(
      {
        currency: "usd",
        unit_amount: cents,
        recurring: { interval: plan.interval },
        lookup_key: lookupKey,
        product_data: { name: `Tessera ${plan.name} plan (${plan.interval === "year" ? "annual" : "monthly"})` },
        metadata: { catalogue_id: plan.id, usd_per_credit: String(usdPerCredit) },
      },
      { idempotencyKey: `tessera-price-${lookupKey}` },
    );
  });
  const rate = Number(price.metadata?.usd_per_credit ?? usdPerCredit) as Usd;
  await ctx.db
    .insert(stripePrices)
    .values({ lookupKey, stripePriceId: price.id, catalogueId: plan.id, unitAmountCents: cents, usdPerCredit: rate, createdAt: Date.now() })
    .onConflictDoNothing();
  return { stripePriceId: price.id, plan, unitAmountCents: cents, usdPerCredit: rate };
}

/**
 * The plan behind a Stripe Price id, from the cache or from the Price's
 * metadata. Undefined for a Price Tessera did not make.
 */
export async function planOfPrice(ctx: Services, stripePriceId: string): Promise<PlanPrice | undefined> {
  const cached = await ctx.db.query.stripePrices.findFirst({ where: eq(stripePrices.stripePriceId, stripePriceId) });
  let catalogueId = cached?.catalogueId;
  let unitAmountCents = cached?.unitAmountCents;
  let usdPerCredit = cached?.usdPerCredit;
  if (!cached) {
    let price: Stripe.Price;
    try {
      price = await ctx.stripe.prices.retrieve(stripePriceId);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw asTesseraError("read a price", error);
    }
    catalogueId = price.metadata?.catalogue_id;
    unitAmountCents = price.unit_amount ?? undefined;
    usdPerCredit = Number(price.metadata?.usd_per_credit);
    if (!catalogueId || unitAmountCents === undefined || !Number.isSafeInteger(usdPerCredit)) return undefined;
    if (price.lookup_key) {
      await ctx.db
        .insert(stripePrices)
        .values({ lookupKey: price.lookup_key, stripePriceId, catalogueId, unitAmountCents, usdPerCredit: usdPerCredit!, createdAt: Date.now() })
        .onConflictDoNothing();
    }
  }
  const item = await findItem(ctx.db, catalogueId!);
  if (!item || item.kind !== "plan" || !item.interval) return undefined;
  return { stripePriceId, plan: item as Plan, unitAmountCents: unitAmountCents!, usdPerCredit: usdPerCredit as Usd };
}
