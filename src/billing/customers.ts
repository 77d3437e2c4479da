/**
 * One Stripe customer per company, created the first time the company pays,
 * and the card it saved for off-session charges (auto-refill).
 */
import { eq } from "drizzle-orm";
import { getCompany } from "../companies/service";
import { billingCustomers } from "../db/schema";
import { stripeCall, stripeClient } from "../stripe";
import type { Services } from "../services";

export type BillingCustomer = typeof billingCustomers.$inferSelect;

export async function findCustomer(ctx: Services, companyId: string): Promise<BillingCustomer | undefined> {
  return ctx.db.query.billingCustomers.findFirst({ where: eq(billingCustomers.companyId, companyId) });
}

/** The company a Stripe customer belongs to, or undefined when the customer is not Tessera's. */
export async function companyOfCustomer(ctx: Services, stripeCustomerId: string | null): Promise<string | undefined> {
  if (!stripeCustomerId) return undefined;
  const row = await ctx.db.query.billingCustomers.findFirst({ where: eq(billingCustomers.stripeCustomerId, stripeCustomerId) });
  return row?.companyId;
}

/**
 * The company's Stripe customer, created on first use. The idempotency key
 * makes two concurrent first credit orders create (and store) the same customer.
 */
export async function ensureCustomer(ctx: Services, companyId: string): Promise<BillingCustomer> {
  const existing = await findCustomer(ctx, companyId);
  if (existing) return existing;
  const company = await getCompany(ctx.db, companyId);
  const customer = await stripeCall("create the customer", () =>
    ctx.stripe.customers.create(
      { name: company.name, ...(company.billingEmail ? { email: company.billingEmail } : {}), metadata: { company_id: companyId } },
      { idempotencyKey: `tessera-customer-${companyId}` },
    ),
  );
  const now = Date.now();
  await ctx.db
    .insert(billingCustomers)
    .values({ companyId, stripeCustomerId: customer.id, paymentMethodId: null, createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  return (await findCustomer(ctx, companyId))!;
}

/** Remembers the card a payment saved, for auto-refill (the newest one wins). */
export async function savePaymentMethod(ctx: Services, companyId: string, paymentMethodId: string | null): Promise<void> {
  if (!paymentMethodId) return;
  await ctx.db
    .update(billingCustomers)
    .set({ paymentMethodId, updatedAt: Date.now() })
    .where(eq(billingCustomers.companyId, companyId));
}
