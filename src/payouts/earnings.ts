/**
 * A seller's earnings, from D1's copy of the wallets' ledgers.
 *
 * Each billed execution or request is a `charge` entry in the buyer's ledger
 * carrying the sale: the seller's company and its share (80% of the USD
 * value, in micro-dollars). A refunded dispute is a `refund` entry carrying
 * the same sale: its share counts negative. So a seller's net earnings are
 * Σ share(charges) − Σ share(refunds), exact in micro-dollars.
 *
 * Those sums are read from rollups the database keeps as entries arrive
 * (per seller and product, per day and month, and all time; rollups.ts), so
 * no read here sums a seller's whole history.
 */
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../db";
import { payouts, sellerEarningsMonths, sellerEarningsTotals, type PayoutStatus } from "../db/schema";
import type { ProductType } from "../wallet/types";
import type { Period } from "./period";
import { earningsRows } from "./rollups";

const DAY_MS = 86_400_000;

/** Net earnings ever, micro-dollars. */
export async function earnedTotal(db: Db, sellerId: string): Promise<number> {
  const row = await db.query.sellerEarningsTotals.findFirst({ where: eq(sellerEarningsTotals.sellerCompanyId, sellerId) });
  return row?.earningsUsd ?? 0;
}

/** Net earnings of entries made before the end of `period` (all of it and every month before), micro-dollars. */
export async function earnedThrough(db: Db, sellerId: string, period: Period): Promise<number> {
  const [row] = await db
    .select({
      earned: sql<number>`coalesce((SELECT ${sellerEarningsTotals.earningsUsd} FROM ${sellerEarningsTotals} WHERE ${eq(sellerEarningsTotals.sellerCompanyId, sellerId)}), 0)
        - coalesce(sum(${sellerEarningsMonths.earningsUsd}), 0)`,
    })
    .from(sellerEarningsMonths)
    .where(and(eq(sellerEarningsMonths.sellerCompanyId, sellerId), gt(sellerEarningsMonths.period, period.key)));
  return Number(row?.earned ?? 0);
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

/** Net earnings per product for entries created in [from, to) (`to` null: no end), most earned first. */
export async function earningsByProduct(db: Db, sellerId: string, from: number, to: number | null): Promise<ProductEarnings[]> {
  return (await earningsRows(db, sellerId, from, to, "none")).map(({ bucket: _, ...product }) => product);
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
    earnedTotal(db, sellerId),
    payoutTotal(db, sellerId, ["paid"]),
    earningsByProduct(db, sellerId, now - 30 * DAY_MS, null),
  ]);
  const types = byType(recent);
  // The top product is the one that earned the most (then sold the most): what the seller made, not how often.
  const top = recent.filter((p) => p.sales > 0).sort((a, b) => b.earningsUsd - a.earningsUsd || b.sales - a.sales || a.productId.localeCompare(b.productId))[0];
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
  const rows = await earningsRows(db, sellerId, from, to, granularity);
  return rows
    .map((row) => ({ period: row.bucket, productId: row.productId, productType: row.productType, sales: row.sales, refunds: row.refunds, earningsUsd: row.earningsUsd }))
    .sort((a, b) => a.period.localeCompare(b.period) || a.productId.localeCompare(b.productId) || a.productType.localeCompare(b.productType));
}
