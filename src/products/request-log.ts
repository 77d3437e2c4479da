/**
 * A seller's request log: every metered call to its products, newest first,
 * with the names people read (the buyer company's, the product's) and why a
 * call was not billed.
 */
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "../db";
import { companies, products, requestLogs, transactions } from "../db/schema";
import { toDecimalNumber } from "../money";
import { pastKey } from "../paging";

export interface RequestLogFilter {
  productId?: string | undefined;
  status?: "success" | "error" | undefined;
}

type LogRow = typeof requestLogs.$inferSelect;

/**
 * Why a call moved no credits: it failed (never billed), it was the seller's
 * own call, the product was free, or it answered a retry (an Idempotency-Key
 * seen before: the first attempt was the billed one). The log row doesn't
 * say which of the last two; a product priced now was priced then as far as
 * the log can tell, so its unbilled 200s are retries.
 */
export type NotBilled = "failed" | "own" | "free" | "retry";

function notBilledOf(row: LogRow, priceUsd: number | undefined): NotBilled | null {
  if (row.billed) return null;
  if (row.status !== 200) return "failed";
  if (row.companyId !== null && row.companyId === row.sellerCompanyId) return "own";
  return priceUsd === 0 ? "free" : "retry";
}

const usdOrNull = (micro: number | null | undefined) => (micro === null || micro === undefined ? null : toDecimalNumber(micro));

export async function sellerRequestLog(db: Db, sellerCompanyId: string, filter: RequestLogFilter, page: { limit: number; after?: readonly [number, string] | undefined }) {
  const rows = await db
    .select()
    .from(requestLogs)
    .where(
      and(
        eq(requestLogs.sellerCompanyId, sellerCompanyId),
        filter.productId ? eq(requestLogs.productId, filter.productId) : undefined,
        filter.status === undefined ? undefined : filter.status === "success" ? eq(requestLogs.status, 200) : ne(requestLogs.status, 200),
        pastKey("desc", [requestLogs.createdAt, requestLogs.id], page.after),
      ),
    )
    .orderBy(desc(requestLogs.createdAt), desc(requestLogs.id))
    .limit(page.limit);
  const companyIds = [...new Set(rows.flatMap((r) => (r.companyId ? [r.companyId] : [])))];
  const productIds = [...new Set(rows.flatMap((r) => (r.productId ? [r.productId] : [])))];
  const billedIds = rows.filter((r) => r.billed).map((r) => r.id);
  const [buyers, items, sales] = await Promise.all([
    companyIds.length ? db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, companyIds)) : [],
    productIds.length ? db.select({ id: products.id, name: products.name, priceUsd: products.priceUsd }).from(products).where(inArray(products.id, productIds)) : [],
    // A billed call's charge carries its operation id, the call's request id: the sale in dollars, as the seller prices.
    billedIds.length
      ? db
          .select({ id: transactions.operationId, grossUsd: transactions.grossUsd, sellerShareUsd: transactions.sellerShareUsd })
          .from(transactions)
          .where(and(eq(transactions.sellerCompanyId, sellerCompanyId), eq(transactions.kind, "charge"), inArray(transactions.operationId, billedIds)))
      : [],
  ]);
  const sale = new Map(sales.map((s) => [s.id, s]));
  const buyer = new Map(buyers.map((c) => [c.id, c.name]));
  const product = new Map(items.map((p) => [p.id, p]));
  return rows.map((r) => {
    const p = r.productId ? product.get(r.productId) : undefined;
    return {
      ...r,
      credits: toDecimalNumber(r.credits),
      buyerName: r.companyId ? (buyer.get(r.companyId) ?? null) : null,
      productName: p?.name ?? null,
      notBilled: notBilledOf(r, p?.priceUsd),
      grossUsd: usdOrNull(sale.get(r.id)?.grossUsd),
      sellerShareUsd: usdOrNull(sale.get(r.id)?.sellerShareUsd),
    };
  });
}
