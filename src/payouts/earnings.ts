/**
 * A seller's earnings, from D1's copy of the wallets' ledgers.
 *
 * Each billed execution or request is a `charge` entry in the buyer's ledger
 * carrying the sale: the seller's company and its share (80% of the USD
 * value, in micro-dollars). A refunded dispute is a `refund` entry carrying
 * the same sale: its share counts negative. So a seller's net earnings are
 * Σ share(charges) − Σ share(refunds), exact in micro-dollars.
 */
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { payouts, products, transactions, type PayoutStatus } from "../db/schema";
import type { ProductType } from "../wallet/types";

const DAY_MS = 86_400_000;

/** The seller share of an entry, signed: refunds reverse their sale. */
export const netShare = sql<number>`coalesce(sum(CASE ${transactions.kind} WHEN 'charge' THEN ${transactions.sellerShareUsd} WHEN 'refund' THEN -${transactions.sellerShareUsd} ELSE 0 END), 0)`;
const salesCount = sql<number>`coalesce(sum(CASE ${transactions.kind} WHEN 'charge' THEN 1 ELSE 0 END), 0)`;
const refundsCount = sql<number>`coalesce(sum(CASE ${transactions.kind} WHEN 'refund' THEN 1 ELSE 0 END), 0)`;

function sellerEntries(sellerId: string, ...more: (SQL | undefined)[]) {
  return and(eq(transactions.sellerCompanyId, sellerId), inArray(transactions.kind, ["charge", "refund"]), ...more);
}

/** Net earnings of entries created before `before` (all time by default), micro-dollars. */
export async function earnedBefore(db: Db, sellerId: string, before?: number): Promise<number> {
  const [row] = await db
    .select({ net: netShare })
    .from(transactions)
    .where(sellerEntries(sellerId, before === undefined ? undefined : lt(transactions.createdAt, before)));
  return Number(row?.net ?? 0);
}

/** Micro-dollars of the seller's payouts in `statuses`. */
export async function payoutTotal(db: Db, sellerId: string, statuses: PayoutStatus[]): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${payouts.amountUsd}), 0)` })
    .from(payouts)
    .where(and(eq(payouts.companyId, sellerId), inArray(payouts.status, statuses)));
  return Number(row?.total ?? 0);
}

export interface ProductEarnings {
  productId: string;
  productType: ProductType;
  name: string;
  sales: number;
  refunds: number;
  /** Micro-dollars, net of refunds. */
  earningsUsd: number;
}

/** Net earnings per product for entries created in [from, to). */
export async function earningsByProduct(db: Db, sellerId: string, from: number, to: number): Promise<ProductEarnings[]> {
  const rows = await db
    .select({
      productId: transactions.productId,
      productType: transactions.productType,
      name: products.name,
      sales: salesCount,
      refunds: refundsCount,
      earningsUsd: netShare,
    })
    .from(transactions)
    .leftJoin(products, eq(products.id, transactions.productId))
    .where(sellerEntries(sellerId, gte(transactions.createdAt, from), lt(transactions.createdAt, to)))
    .groupBy(transactions.productId, transactions.productType)
    .orderBy(desc(netShare), transactions.productId);
  return rows.map((row) => ({
    productId: row.productId ?? "",
    productType: row.productType ?? "asset",
    name: row.name ?? row.productId ?? "",
    sales: Number(row.sales),
    refunds: Number(row.refunds),
    earningsUsd: Number(row.earningsUsd),
  }));
}

export interface TypeEarnings {
  productType: ProductType;
  sales: number;
  refunds: number;
  earningsUsd: number;
}

/** Per-product earnings summed per type; both types always present. */
export function byType(lines: Pick<ProductEarnings, "productType" | "sales" | "refunds" | "earningsUsd">[]): TypeEarnings[] {
  const out: Record<ProductType, TypeEarnings> = {
    asset: { productType: "asset", sales: 0, refunds: 0, earningsUsd: 0 },
    endpoint: { productType: "endpoint", sales: 0, refunds: 0, earningsUsd: 0 },
  };
  for (const line of lines) {
    const t = out[line.productType];
    t.sales += line.sales;
    t.refunds += line.refunds;
    t.earningsUsd += line.earningsUsd;
  }
  return [out.asset, out.endpoint];
}

export interface EarningsSummary {
  /** Earned and not yet transferred (micro-dollars; negative after refunds exceeding earnings). */
  pendingPayoutUsd: number;
  totalEarnedUsd: number;
  assetExecutions30d: number;
  endpointRequests30d: number;
  /** The product with the most sales in the last 30 days (then the most revenue), or null without sales. */
  topProduct: { productId: string; name: string; type: ProductType; transactions30d: number; revenue30d: number } | null;
}

/**
 * The figures of the earnings read in the first source document. Executions
 * and requests count billed sales; the top product is the one with the most
 * sales in the last 30 days, and `revenue30d` what it earned the seller (its
 * share, net of refunds) in that time.
 */
export async function earningsSummary(db: Db, sellerId: string, now = Date.now()): Promise<EarningsSummary> {
  const [total, paid, recent] = await Promise.all([
    earnedBefore(db, sellerId),
    payoutTotal(db, sellerId, ["paid"]),
    earningsByProduct(db, sellerId, now - 30 * DAY_MS, Number.MAX_SAFE_INTEGER),
  ]);
  const types = byType(recent);
  const top = recent.filter((p) => p.sales > 0).sort((a, b) => b.sales - a.sales || b.earningsUsd - a.earningsUsd || a.productId.localeCompare(b.productId))[0];
  return {
    pendingPayoutUsd: total - paid,
    totalEarnedUsd: total,
    assetExecutions30d: types[0]!.sales,
    endpointRequests30d: types[1]!.sales,
    topProduct: top
      ? { productId: top.productId, name: top.name, type: top.productType, transactions30d: top.sales, revenue30d: top.earningsUsd }
      : null,
  };
}

export type Granularity = "month" | "day";

export interface EarningsBucket {
  /** "2026-04" or "2026-04-17" (UTC). */
  period: string;
  productId: string;
  productType: ProductType;
  sales: number;
  refunds: number;
  earningsUsd: number;
}

/** Net earnings per product per month or day (UTC) for entries created in [from, to). */
export async function earningsOverTime(db: Db, sellerId: string, from: number, to: number, granularity: Granularity): Promise<EarningsBucket[]> {
  const format = granularity === "month" ? "%Y-%m" : "%Y-%m-%d";
  const bucket = sql<string>`strftime(${format}, ${transactions.createdAt} / 1000, 'unixepoch')`;
  const rows = await db
    .select({
      period: bucket,
      productId: transactions.productId,
      productType: transactions.productType,
      sales: salesCount,
      refunds: refundsCount,
      earningsUsd: netShare,
    })
    .from(transactions)
    .where(sellerEntries(sellerId, gte(transactions.createdAt, from), lt(transactions.createdAt, to)))
    .groupBy(bucket, transactions.productId, transactions.productType)
    .orderBy(bucket, transactions.productId);
  return rows.map((row) => ({
    period: row.period,
    productId: row.productId ?? "",
    productType: row.productType ?? "asset",
    sales: Number(row.sales),
    refunds: Number(row.refunds),
    earningsUsd: Number(row.earningsUsd),
  }));
}
