/**
 * Checkout: a pending order, then a Stripe Checkout Session for it. Payment
 * mode for on-demand credits and bundles (inline `price_data`, the card saved
 * for off-session use so auto-refill can charge it later), subscription mode
 * for plans (a stored recurring Price, prices.ts). The session carries the
 * company (`client_reference_id`) and the order (`metadata.order_id`, also on
 * the PaymentIntent or the subscription), which is all the webhooks need.
 * Nothing is credited here: credits land when Stripe says the money arrived.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import type Stripe from "stripe";
import { creditOrders } from "../db/schema";
import { TesseraError } from "../errors";
import { newId } from "../ids";
import { currentRate } from "../rates";
import { asTesseraError, stripeCall, stripeClient } from "../stripe";
import type { Services } from "../services";
import { ensureCustomer } from "./customers";
import { failOrder, insertOrder, updateOrder } from "./orders";
import { ensurePlanPrice } from "./prices";
import { orderColumns, resolveOrderTerms, type OrderRequest } from "./order-terms";
import { liveSubscription } from "./subscriptions";

/**
 * The buyer's balance page, where Checkout sends the buyer back. The admin UI
 * (client/) serves `/app/credits`; `checkout` and `order` let it say what happened.
 */
export function balancePageUrl(env: Pick<Env, "PUBLIC_URL">, outcome: "success" | "canceled", orderId: string): string {
  const url = new URL("/app/credits", env.PUBLIC_URL);
  url.searchParams.set("checkout", outcome);
  url.searchParams.set("order", orderId);
  return url.toString();
}

export async function startCheckout(ctx: Services, companyId: string, request: OrderRequest): Promise<{ url: string; orderId: string }> {
  const rate = await currentRate(ctx.db);
  const terms = await resolveOrderTerms(ctx.db, rate, request);
  if (terms.plan) {
    const live = await liveSubscription(ctx.db, companyId);
    if (live) {
      throw new TesseraError("CONFLICT", `The company already has the ${live.planId} plan; change it with billing.changePlan.`);
    }
  }
  const customer = await ensureCustomer(ctx, companyId);
  const planPrice = terms.plan ? await ensurePlanPrice(ctx, terms.plan, rate.usdPerCredit) : undefined;
  if (terms.plan) await expireOpenPlanCheckouts(ctx, companyId);

  const orderId = newId("ord");
  const now = Date.now();
  await insertOrder(ctx.db, {
    id: orderId,
    companyId,
    kind: terms.kind,
    ...orderColumns(terms),
    usdPerCredit: planPrice?.usdPerCredit ?? rate.usdPerCredit,
    status: "pending",
    createdAt: now,
    updatedAt: now,
  });

  const metadata = { order_id: orderId, company_id: companyId };
  const params: Stripe.Checkout.SessionCreateParams = {
    customer: customer.stripeCustomerId,
    client_reference_id: companyId,
    metadata,
    success_url: balancePageUrl(ctx.env, "success", orderId),
    cancel_url: balancePageUrl(ctx.env, "canceled", orderId),
    ...(planPrice
      ? {
          mode: "subscription",
          line_items: [{ price: planPrice.stripePriceId, quantity: 1 }],
          subscription_data: { metadata: { ...metadata, plan_id: planPrice.plan.id } },
        }
      : {
          mode: "payment",
          line_items: [{ price_data: { currency: "usd", unit_amount: terms.priceCents, product_data: { name: terms.name } }, quantity: 1 }],
          payment_intent_data: { metadata, description: terms.name, setup_future_usage: "off_session" },
        }),
  };
  let session: Stripe.Checkout.Session;
  try {
    session = await ctx.stripe.checkout.sessions.create(params, { idempotencyKey: `tessera-checkout-${orderId}` });
  } catch (error) {
    await failOrder(ctx.db, orderId, "Stripe refused the checkout.");
    throw asTesseraError("start the checkout", error);
  }
  await updateOrder(ctx.db, orderId, { stripeCheckoutSessionId: session.id });
  if (!session.url) throw new TesseraError("STRIPE_ERROR", "Stripe returned a checkout without a URL.");
  return { url: session.url, orderId };
}

/** At most one open plan checkout per company: starting another expires the earlier ones. */
async function expireOpenPlanCheckouts(ctx: Services, companyId: string): Promise<void> {
  const open = await ctx.db
    .select({ id: creditOrders.id, session: creditOrders.stripeCheckoutSessionId })
    .from(creditOrders)
    .where(
      and(
        eq(creditOrders.companyId, companyId),
        eq(creditOrders.kind, "plan"),
        eq(creditOrders.status, "pending"),
        isNotNull(creditOrders.stripeCheckoutSessionId),
      ),
    );
  for (const order of open) {
    try {
      await stripeCall("expire the earlier checkout", () => ctx.stripe.checkout.sessions.expire(order.session!));
      await failOrder(ctx.db, order.id, "Replaced by a newer plan checkout.", "expired");
    } catch {
      // Already completed or expired: its own webhook settles the order.
    }
  }
}
