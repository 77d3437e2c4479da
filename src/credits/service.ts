import { and, count, eq, gte, inArray, sum } from "drizzle-orm";
import type { Db } from "../db";
import { companies, products, transactions } from "../db/schema";
import { creditsToUsd, toDecimalNumber, usdToCents, type CreditRate, type Credits } from "../money";
import type { BalanceView, LedgerEntry } from "../wallet/types";

const DAY_MS = 86_400_000;

export interface Usage30d {
  spent: Credits;
  assetExecutions: number;
  endpointRequests: number;
}

/** What a company spent in the last 30 days, from D1's copy of its ledger. */
export async function usage30d(db: Db, companyId: string, now = Date.now()): Promise<Usage30d> {
  const rows = await db
    .select({ productType: transactions.productType, n: count(), spent: sum(transactions.amount) })
    .from(transactions)
    .where(
      and(
        eq(transactions.companyId, companyId),
        eq(transactions.kind, "charge"),
        gte(transactions.createdAt, now - 30 * DAY_MS),
      ),
    )
    .groupBy(transactions.productType);
  let spent = 0;
  const counts = { asset: 0, endpoint: 0 };
  for (const row of rows) {
    spent -= Number(row.spent ?? 0);
    if (row.productType) counts[row.productType] += row.n;
  }
  return { spent: spent as Credits, assetExecutions: counts.asset, endpointRequests: counts.endpoint };
}

/** Dollars for display, rounded to the cent. */
export function usdNumber(credits: Credits, rate: CreditRate): number {
  return usdToCents(creditsToUsd(credits, rate)) / 100;
}

export function balanceView(balance: BalanceView, rate: CreditRate) {
  return {
    balanceCredits: toDecimalNumber(balance.balance),
    heldCredits: toDecimalNumber(balance.held),
    availableCredits: toDecimalNumber(balance.available),
    balanceUsd: usdNumber(balance.balance, rate),
    lowBalanceThreshold: toDecimalNumber(balance.lowBalanceThreshold),
    lowBalanceWarning: balance.lowBalanceWarning,
  };
}

export function entryView(entry: LedgerEntry) {
  return {
    id: entry.id,
    seq: entry.seq,
    kind: entry.kind,
    operationId: entry.operationId,
    credits: toDecimalNumber(entry.amount),
    balanceAfter: toDecimalNumber(entry.balanceAfter),
    productId: entry.productId,
    productType: entry.productType,
    sellerCompanyId: entry.sellerCompanyId,
    grossUsd: entry.grossUsd === null ? null : toDecimalNumber(entry.grossUsd),
    usdPerCredit: toDecimalNumber(entry.usdPerCredit),
    reason: entry.reason,
    createdAt: entry.createdAt,
  };
}


/**
 * Ledger entries as the buyer reads them: each charge or refund with the
 * names of its product and seller (the wallet keeps ids only), looked up in
 * one query each for the page.
 */
export async function namedEntryViews(db: Db, entries: LedgerEntry[]) {
  const productIds = [...new Set(entries.flatMap((e) => (e.productId ? [e.productId] : [])))];
  const sellerIds = [...new Set(entries.flatMap((e) => (e.sellerCompanyId ? [e.sellerCompanyId] : [])))];
  const [items, sellers] = await Promise.all([
    productIds.length ? db.select({ id: products.id, name: products.name }).from(products).where(inArray(products.id, productIds)) : [],
    sellerIds.length ? db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, sellerIds)) : [],
  ]);
  const productName = new Map(items.map((p) => [p.id, p.name]));
  const sellerName = new Map(sellers.map((c) => [c.id, c.name]));
  return entries.map((entry) => ({
    ...entryView(entry),
    productName: entry.productId ? (productName.get(entry.productId) ?? null) : null,
    sellerName: entry.sellerCompanyId ? (sellerName.get(entry.sellerCompanyId) ?? null) : null,
  }));
}
