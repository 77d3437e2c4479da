/** How disputes read: as their buyer or seller sees them, and as an admin reviews them. */
import { inArray } from "drizzle-orm";
import type { Db } from "../db";
import { companies, products, requestLogs } from "../db/schema";
import { toDecimalNumber } from "../money";
import type { Dispute } from "./service";

export function disputeView(d: Dispute) {
  return {
    id: d.id,
    status: d.status,
    transactionId: d.transactionId,
    requestId: d.requestId,
    buyerCompanyId: d.buyerCompanyId,
    sellerCompanyId: d.sellerCompanyId,
    productId: d.productId,
    productType: d.productType,
    credits: toDecimalNumber(d.credits),
    grossUsd: toDecimalNumber(d.grossUsd),
    sellerShareUsd: toDecimalNumber(d.sellerShareUsd),
    reason: d.reason,
    resolutionNote: d.resolutionNote,
    refundEntryId: d.refundEntryId,
    createdAt: d.createdAt,
    resolvedAt: d.resolvedAt,
  };
}

/** Disputes as their buyer or seller reads them: with the product's name. */
export async function withProductNames(db: Db, list: Dispute[]) {
  if (list.length === 0) return [];
  const names = await db
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(inArray(products.id, [...new Set(list.map((d) => d.productId))]));
  const productName = new Map(names.map((p) => [p.id, p.name]));
  return list.map((d) => ({ ...disputeView(d), productName: productName.get(d.productId) ?? d.productId }));
}

/** The admin's view: the dispute, who and what it concerns, and the request log entry behind it. */
export async function reviewViews(db: Db, list: Dispute[]) {
  if (list.length === 0) return [];
  const [logs, names, productNames] = await Promise.all([
    db.select().from(requestLogs).where(inArray(requestLogs.id, list.map((d) => d.requestId))),
    db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, [...new Set(list.flatMap((d) => [d.buyerCompanyId, d.sellerCompanyId]))])),
    db.select({ id: products.id, name: products.name }).from(products).where(inArray(products.id, [...new Set(list.map((d) => d.productId))])),
  ]);
  const log = new Map(logs.map((l) => [l.id, l]));
  const company = new Map(names.map((c) => [c.id, c.name]));
  const product = new Map(productNames.map((p) => [p.id, p.name]));
  return list.map((d) => {
    const entry = log.get(d.requestId);
    return {
      ...disputeView(d),
      buyerName: company.get(d.buyerCompanyId) ?? null,
      sellerName: company.get(d.sellerCompanyId) ?? null,
      productName: product.get(d.productId) ?? null,
      requestLog: entry
        ? {
            id: entry.id,
            method: entry.method,
            status: entry.status,
            errorCode: entry.errorCode,
            rows: entry.rows,
            billed: entry.billed,
            credits: toDecimalNumber(entry.credits),
            durationMs: entry.durationMs,
            keyId: entry.keyId,
            createdAt: entry.createdAt,
          }
        : null,
    };
  });
}
