/**
 * Sellers' earnings for any time range, exact to the micro-dollar, at a cost
 * that does not grow with history: whole months come from
 * `seller_earnings_months`, whole days from `seller_earnings_days` (both kept
 * by a trigger on `transactions`, see src/db/schema/earnings.ts), and only
 * the partial days at the edges of the range from the ledger itself, through
 * its (seller, time) index. So a month costs one query over its products, and
 * the last 30 days at most 31 day rows per product plus two partial days of
 * sales.
 */
import { and, eq, gte, inArray, lt, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "../db";
import { products, sellerEarningsDays, sellerEarningsMonths, transactions } from "../db/schema";
import type { ProductType } from "../wallet/types";

const DAY_MS = 86_400_000;
/** Year 10000: beyond it a range is open-ended (dates past it have no `YYYY-MM-DD`). */
const LAST_MS = Date.UTC(10_000, 0, 1);

export type Bucket = "none" | "day" | "month";

export interface EarningsRow {
  /** "" for `none`, "2026-04-17" for `day`, "2026-04" for `month` (UTC). */
  bucket: string;
  productId: string;
  productType: ProductType;
  name: string;
  sales: number;
  refunds: number;
  /** Micro-dollars, net of refunds. */
  earningsUsd: number;
}

type Source = "ledger" | "days" | "months";
/** [from, to); `to` null is open-ended. */
export interface Span {
  source: Source;
  from: number;
  to: number | null;
}

const floorDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const ceilDay = (ms: number) => Math.ceil(ms / DAY_MS) * DAY_MS;
function ceilMonth(ms: number): number {
  const d = new Date(ms);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return start === ms ? ms : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
function floorMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthKey = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/**
 * [from, to) cut into what each source answers exactly: the ledger for the
 * partial days at each end, day rows for whole days, and (with `months`)
 * month rows for the whole months in between.
 */
export function spans(from: number, to: number | null, months: boolean): Span[] {
  const end = to === null || to >= LAST_MS ? null : to;
  if (from >= LAST_MS || (end !== null && from >= end)) return [];
  const d0 = ceilDay(from);
  const d1 = end === null ? null : floorDay(end);
  if (d1 !== null && d1 <= d0) return [{ source: "ledger", from, to: end }];
  const out: Span[] = [];
  if (from < d0) out.push({ source: "ledger", from, to: d0 });
  const m0 = months ? ceilMonth(d0) : null;
  const m1 = months && d1 !== null ? floorMonth(d1) : null;
  if (m0 !== null && (d1 === null || m0 < m1!)) {
    if (d0 < m0) out.push({ source: "days", from: d0, to: m0 });
    out.push({ source: "months", from: m0, to: m1 });
    if (m1 !== null && m1 < d1!) out.push({ source: "days", from: m1, to: d1 });
  } else {
    out.push({ source: "days", from: d0, to: d1 });
  }
  if (d1 !== null && d1 < end!) out.push({ source: "ledger", from: d1, to: end });
  return out;
}

const sum = (column: SQLWrapper) => sql<number>`coalesce(sum(${column}), 0)`;

function ledgerRows(db: Db, sellerId: string, span: Span, bucket: Bucket) {
  const format = bucket === "day" ? "%Y-%m-%d" : "%Y-%m";
  const key = bucket === "none" ? sql<string>`''` : sql<string>`strftime(${format}, ${transactions.createdAt} / 1000, 'unixepoch')`;
  return db
    .select({
      bucket: key,
      productId: sql<string>`coalesce(${transactions.productId}, '')`,
      productType: sql<ProductType>`coalesce(${transactions.productType}, 'asset')`,
      sales: sum(sql`CASE ${transactions.kind} WHEN 'charge' THEN 1 ELSE 0 END`),
      refunds: sum(sql`CASE ${transactions.kind} WHEN 'refund' THEN 1 ELSE 0 END`),
      earningsUsd: sum(
        sql`CASE ${transactions.kind} WHEN 'charge' THEN ${transactions.sellerShareUsd} WHEN 'refund' THEN -${transactions.sellerShareUsd} ELSE 0 END`,
      ),
      name: products.name,
    })
    .from(transactions)
    .leftJoin(products, eq(products.id, transactions.productId))
    .where(
      and(
        eq(transactions.sellerCompanyId, sellerId),
        inArray(transactions.kind, ["charge", "refund"]),
        gte(transactions.createdAt, span.from),
        span.to === null ? undefined : lt(transactions.createdAt, span.to),
      ),
    )
    .groupBy(sql`1`, sql`2`, sql`3`);
}

function rollupRows(db: Db, sellerId: string, span: Span, bucket: Bucket) {
  const table = span.source === "days" ? sellerEarningsDays : sellerEarningsMonths;
  const column = span.source === "days" ? sellerEarningsDays.day : sellerEarningsMonths.period;
  const keyOf = span.source === "days" ? dayKey : monthKey;
  // Month rows only serve monthly (or unbucketed) reads; day keys shorten to their month.
  const key = bucket === "none" ? sql<string>`''` : bucket === "month" ? sql<string>`substr(${column}, 1, 7)` : sql<string>`${column}`;
  return db
    .select({
      bucket: key,
      productId: table.productId,
      productType: table.productType,
      sales: sum(table.sales),
      refunds: sum(table.refunds),
      earningsUsd: sum(table.earningsUsd),
      name: products.name,
    })
    .from(table)
    .leftJoin(products, eq(products.id, table.productId))
    .where(and(eq(table.sellerCompanyId, sellerId), gte(column, keyOf(span.from)), span.to === null ? undefined : lt(column, keyOf(span.to))))
    .groupBy(sql`1`, table.productId, table.productType);
}

/**
 * The seller's net earnings in [from, to) (`to` null: up to now and beyond),
 * per product and per `bucket`, ordered by bucket, then most earned, then
 * product id. Equal to summing the ledger's entries in the range.
 */
export async function earningsRows(db: Db, sellerId: string, from: number, to: number | null, bucket: Bucket): Promise<EarningsRow[]> {
  const parts = await Promise.all(
    spans(from, to, bucket !== "day").map((span) => (span.source === "ledger" ? ledgerRows(db, sellerId, span, bucket) : rollupRows(db, sellerId, span, bucket))),
  );
  const merged = new Map<string, EarningsRow>();
  for (const row of parts.flat()) {
    const key = `${row.bucket}\u0000${row.productId}\u0000${row.productType}`;
    const into = merged.get(key);
    if (into) {
      into.sales += Number(row.sales);
      into.refunds += Number(row.refunds);
      into.earningsUsd += Number(row.earningsUsd);
    } else {
      merged.set(key, {
        bucket: row.bucket,
        productId: row.productId,
        productType: row.productType,
        name: row.name ?? row.productId,
        sales: Number(row.sales),
        refunds: Number(row.refunds),
        earningsUsd: Number(row.earningsUsd),
      });
    }
  }
  return [...merged.values()].sort(
    (a, b) => a.bucket.localeCompare(b.bucket) || b.earningsUsd - a.earningsUsd || a.productId.localeCompare(b.productId) || a.productType.localeCompare(b.productType),
  );
}
