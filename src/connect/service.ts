/**
 * Stripe Connect for sellers: an Express account per seller company, its
 * onboarding link, the state Stripe reports (from `account.updated` webhooks
 * or a re-check on demand), and disconnecting.
 *
 * Disconnecting marks the account disconnected and sets `can_sell` false in
 * one batch, then tells every product's object (standing.ts): every product
 * of the company leaves the marketplace at once (search and product pages
 * read `can_sell`, the metered call asks the product's object), and
 * the payout job skips the company (its balance stays, frozen). Sales history
 * is never touched.
 */
import { and, count, eq, isNull, lte } from "drizzle-orm";
import Stripe from "stripe";
import type { Company } from "../companies/service";
import type { Db } from "../db";
import { connectAccounts } from "../db/schema";
import { TesseraError } from "../errors";
import { isMissing, stripeCall } from "../stripe";
import type { Services } from "../services";
import { pushStanding } from "./standing";
import { latestAccount, liveAccount, syncCanSell, type ConnectAccount } from "./state";

/** The part of the services Connect uses. */
export type ConnectDeps = Pick<Services, "db" | "stripe" | "product">;

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Gives a seller company a connected account (the live one, or a new Express
 * account) and a fresh onboarding link. Concurrent starts create one account:
 * the Stripe idempotency key names the company and how many accounts it had.
 */
export async function startOnboarding(
  deps: ConnectDeps,
  company: Company,
  urls: { returnUrl: string; refreshUrl: string },
): Promise<{ account: ConnectAccount; onboardingUrl: string | null; expiresAt: number | null }> {
  if (!company.isSeller) {
    throw new TesseraError("FORBIDDEN", "Only seller companies connect Stripe. Turn on selling with companies.update({ isSeller: true }) first.");
  }
  let account = await liveAccount(deps.db, company.id);
  if (!account) {
    const [{ n }] = (await deps.db.select({ n: count() }).from(connectAccounts).where(eq(connectAccounts.companyId, company.id))) as [{ n: number }];
    const created = await stripeCall("create a connected account", () =>
      deps.stripe.accounts.create(
        {
          type: "express",
          email: company.billingEmail ?? undefined,
          capabilities: { transfers: { requested: true } },
          metadata: { company: company.id },
        },
        { idempotencyKey: `connect-account:${company.id}:${n}` },
      ),
    );
    const now = Date.now();
    await deps.db
      .insert(connectAccounts)
      .values({
        id: created.id,
        companyId: company.id,
        detailsSubmitted: created.details_submitted ?? false,
        payoutsEnabled: created.payouts_enabled ?? false,
        requirementsDue: created.requirements?.currently_due ?? [],
        syncedAt: created.created ?? seconds(now),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing();
    account = await liveAccount(deps.db, company.id);
    if (!account) throw new TesseraError("CONFLICT", "The Stripe account was disconnected meanwhile; start again.");
  }
  if (account.detailsSubmitted && account.payoutsEnabled) return { account, onboardingUrl: null, expiresAt: null };
  const accountId = account.id;
  const link = await stripeCall("create an onboarding link", () =>
    deps.stripe.accountLinks.create({
      account: accountId,
      type: "account_onboarding",
      return_url: urls.returnUrl,
      refresh_url: urls.refreshUrl,
    }),
  );
  return { account, onboardingUrl: link.url, expiresAt: link.expires_at * 1000 };
}

/**
 * Applies the account state Stripe reported at `at` (Stripe seconds). A state
 * older than the one already applied, or for a disconnected or unknown
 * account, changes nothing.
 */
export async function applyAccountState(deps: Pick<ConnectDeps, "db" | "product">, account: Stripe.Account, at: number): Promise<void> {
  const { db } = deps;
  const row = await db.query.connectAccounts.findFirst({ where: eq(connectAccounts.id, account.id) });
  if (!row || row.disconnectedAt !== null) return;
  await db.batch([
    db
      .update(connectAccounts)
      .set({
        detailsSubmitted: account.details_submitted ?? false,
        payoutsEnabled: account.payouts_enabled ?? false,
        requirementsDue: account.requirements?.currently_due ?? [],
        syncedAt: at,
        updatedAt: Date.now(),
      })
      .where(and(eq(connectAccounts.id, account.id), isNull(connectAccounts.disconnectedAt), lte(connectAccounts.syncedAt, at))),
    syncCanSell(db, row.companyId),
  ]);
  await pushStanding(deps, row.companyId);
}

/**
 * Re-checks the live account with Stripe now. An account Stripe no longer
 * knows (deleted from its side) counts as disconnected.
 */
export async function refreshAccount(deps: ConnectDeps, companyId: string): Promise<ConnectAccount | undefined> {
  const row = await liveAccount(deps.db, companyId);
  if (!row) throw new TesseraError("NOT_FOUND", "This company has no connected Stripe account; start onboarding first.");
  let account: Stripe.Account;
  try {
    account = await deps.stripe.accounts.retrieve(row.id);
  } catch (error) {
    if (isMissing(error)) {
      await markDisconnected(deps, row);
      return latestAccount(deps.db, companyId);
    }
    if (error instanceof Stripe.errors.StripeError) throw new TesseraError("STRIPE_ERROR", `Stripe could not read the account: ${error.message}`);
    throw error;
  }
  await applyAccountState(deps, account, seconds(Date.now()));
  return latestAccount(deps.db, companyId);
}

/**
 * Disconnects the live account: the company stops selling at once and its
 * payouts freeze. Then the Express account is deleted at Stripe, best
 * effort: the local state is what the marketplace and payouts read, so a
 * Stripe failure here is logged and does not undo the disconnect.
 * Disconnecting with no live account returns the current state.
 */
export async function disconnect(deps: ConnectDeps, companyId: string): Promise<{ account: ConnectAccount | undefined; deletedAtStripe: boolean }> {
  const row = await liveAccount(deps.db, companyId);
  if (!row) {
    const latest = await latestAccount(deps.db, companyId);
    if (!latest) throw new TesseraError("NOT_FOUND", "This company has no connected Stripe account.");
    return { account: latest, deletedAtStripe: false };
  }
  await markDisconnected(deps, row);
  let deletedAtStripe = true;
  try {
    await deps.stripe.accounts.del(row.id);
  } catch (error) {
    if (!isMissing(error)) {
      deletedAtStripe = false;
      console.error(`connect: deleting ${row.id} at Stripe failed; it stays disconnected here`, error);
    }
  }
  return { account: await latestAccount(deps.db, companyId), deletedAtStripe };
}

async function markDisconnected(deps: Pick<ConnectDeps, "db" | "product">, row: ConnectAccount): Promise<void> {
  const { db } = deps;
  const now = Date.now();
  await db.batch([
    db
      .update(connectAccounts)
      .set({ disconnectedAt: now, updatedAt: now })
      .where(and(eq(connectAccounts.id, row.id), isNull(connectAccounts.disconnectedAt))),
    syncCanSell(db, row.companyId),
  ]);
  await pushStanding(deps, row.companyId);
}
