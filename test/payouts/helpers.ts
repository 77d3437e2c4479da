import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { services } from "../../src/services";
import { getCompany } from "../../src/companies/service";
import { refreshAccount, startOnboarding } from "../../src/connect/service";
import { createDb } from "../../src/db";
import { newId } from "../../src/ids";
import { asUsd, priceSale, type Credits } from "../../src/money";
import { outboxMailer } from "../../src/payouts/mail";
import { dueSellers } from "../../src/payouts/due";
import { previousMonth, type Period } from "../../src/payouts/period";
import { paySeller, type PayoutJobDeps } from "../../src/payouts/seller";
import { currentRate } from "../../src/rates";
import { wallet } from "../../src/wallet/client";
import type { ProductType } from "../../src/wallet/types";
import { localStripe } from "../stripe-local/harness";
import { h, citiesCsv, citiesSpec, drained } from "../harness";

export const db = createDb(env.DB);

export interface PayoutRunResult {
  period: string;
  paid: string[];
  rolledOver: string[];
  failed: string[];
  pending: string[];
  skipped: string[];
  reportsDelivered: string[];
  errors: { companyId: string; message: string }[];
}

/**
 * The month-end job in this test's invocation: what the queue's consumers do
 * for each message, done here for every seller due (as the producer finds
 * them), with `deps` (a Stripe platform of the test file's own). Pays the
 * month before `now`, stamping `now`.
 */
export async function runMonth(deps: PayoutJobDeps, now: number, period: Period = previousMonth(now)): Promise<PayoutRunResult> {
  const runId = newId("run");
  const { due, skipped } = await dueSellers(deps.db, period);
  const result: PayoutRunResult = { period: period.key, paid: [], rolledOver: [], failed: [], pending: [], skipped, reportsDelivered: [], errors: [] };
  for (const companyId of due) {
    try {
      const outcome = await paySeller(deps, companyId, period, runId, now);
      for (const key of ["paid", "rolledOver", "failed", "pending", "reportsDelivered"] as const) result[key].push(...outcome[key]);
    } catch (error) {
      result.errors.push({ companyId, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

/**
 * The payout job against a Stripe platform of this test file's own (its own
 * key: balance, accounts, transfers and faults never mix with other files).
 * Storage is per test file, so each test also uses months of its own.
 */
export function payoutPlatform() {
  const local = localStripe();
  const deps: PayoutJobDeps = { db, stripe: local.stripe, reports: env.REPORTS, mailer: outboxMailer(db, "payouts@tessera.test") };
  return {
    local,
    deps,
    run: (now: number) => runMonth(deps, now),
    /** The platform's available balance, in cents. */
    setBalance: (cents: number) => local.control("/balance", { amount: String(cents) }),
    transfersTo: async (accountId: string) => (await local.stripe.transfers.list({ destination: accountId, limit: 100 })).data,
  };
}

export type Platform = ReturnType<typeof payoutPlatform>;

/** A seller verified on `platform`'s Stripe (through the real Connect code), with one asset and one endpoint. */
export async function paidSeller(platform: Platform, name: string, opts: { verify?: boolean; billingEmail?: string } = {}) {
  const s = await h.seller({ name, verified: false });
  if (opts.billingEmail) await s.api.companies.update.mutate({ billingEmail: opts.billingEmail });
  const connect = { ...services(env, db), stripe: platform.local.stripe };
  const { account } = await startOnboarding(connect, await getCompany(db, s.company.id), {
    returnUrl: "https://tessera.test/connect/return",
    refreshUrl: "https://tessera.test/connect/refresh",
  });
  if (opts.verify ?? true) {
    await platform.local.control(`/accounts/${account.id}/onboarding`);
    await refreshAccount(connect, s.company.id);
  }
  const source = await h.dataset(s.company.id, citiesCsv(5));
  const common = { description: "Cities.", category: "Geo", dataSourceId: source.id };
  const endpoint = await h.endpoint(s, { ...common, name: `${name} feed`, spec: citiesSpec, priceUsd: "0.50" });
  const asset = await h.asset(s, {
    ...common,
    assetKind: "calculation",
    name: `${name} count`,
    spec: { aggregate: { fn: "count" } },
    priceUsd: "2",
  });
  return { ...s, accountId: account.id, endpoint, asset };
}

export type Seller = Awaited<ReturnType<typeof paidSeller>>;

/** Whose products are sold: a seller's asset and endpoint. */
export interface SellerProducts {
  company: { id: string };
  asset: { id: string };
  endpoint: { id: string };
}

export interface SaleSpec {
  seller: SellerProducts;
  type: ProductType;
  /** Price in micro-dollars. */
  priceUsd: number;
  at: number;
}

/**
 * Bills `buyer` for each sale through the wallet's `charge` (as a metered
 * call would), at the sale's time: the ledger entry's created_at is `at`.
 * Returns the ledger entry ids. Flushes the buyer's ledger to D1.
 */
export async function sell(buyerId: string, sales: SaleSpec[]): Promise<string[]> {
  const rate = await currentRate(db);
  const purse = wallet(env, buyerId);
  const ids: string[] = [];
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    for (const s of sales) {
      vi.setSystemTime(s.at);
      const priced = priceSale(asUsd(s.priceUsd), rate);
      const product = s.type === "asset" ? s.seller.asset : s.seller.endpoint;
      const { entry } = await purse.charge({
        id: newId("req"),
        credits: priced.credits as Credits,
        sale: {
          productId: product.id,
          productType: s.type,
          sellerCompanyId: s.seller.company.id,
          grossUsd: priced.gross,
          sellerShareUsd: priced.sellerShare,
          platformFeeUsd: priced.platformFee,
          usdPerCredit: priced.usdPerCredit,
        },
      });
      ids.push(entry.id);
    }
  } finally {
    vi.useRealTimers();
  }
  await drained(buyerId);
  return ids;
}


/** What the ledger (D1) says a seller earned before `end`, micro-dollars: charges minus refunds. */
export async function ledgerShares(sellerId: string, end = Number.MAX_SAFE_INTEGER): Promise<number> {
  const row = await env.DB.prepare(
    `SELECT coalesce(sum(CASE kind WHEN 'charge' THEN seller_share_usd WHEN 'refund' THEN -seller_share_usd END), 0) AS total
     FROM transactions WHERE seller_company_id = ? AND created_at < ?`,
  )
    .bind(sellerId, end)
    .first<{ total: number }>();
  return row!.total;
}

export async function payoutRows(companyId: string) {
  const { results } = await env.DB.prepare("SELECT * FROM payouts WHERE company_id = ? ORDER BY period").bind(companyId).all<Record<string, any>>();
  return results;
}

/** UTC epoch ms. */
export const utc = (y: number, m: number, d = 1, h = 0, min = 0, s = 0, ms = 0) => Date.UTC(y, m - 1, d, h, min, s, ms);
