import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { products, purchases } from "../db/schema";
import { TesseraError } from "../errors";
import { creditsDue, meter, sellable, type Billing } from "../metering/meter";
import { currentRate } from "../rates";
import { runContext, sourceOf } from "./context";
import { runProduct, type ProductResult } from "./run";
import type { Product } from "./service";

export interface Purchase {
  id: string;
  productId: string;
  result: ProductResult;
  createdAt: number;
}

/**
 * Processes an asset for a buyer: holds its price, computes the result,
 * stores it in the buyer's purchases, then commits. Any failure releases the
 * hold and stores nothing, so the buyer pays only for a stored result.
 */
export async function processAsset(
  env: Env,
  db: Db,
  input: { buyerCompanyId: string; product: Product; params: Record<string, unknown>; requestId: string },
): Promise<{ purchase: Purchase; billing: Billing }> {
  const { product, requestId } = input;
  if (product.type !== "asset") throw new TesseraError("BAD_REQUEST", `${product.id} is an endpoint: fetch it instead.`);
  const [source, rate] = await Promise.all([sourceOf(env, product.dataSourceId), currentRate(db)]);
  const purchaseId = `pur_${requestId.slice(4)}`;
  const billed = sellable(product);
  let stored = false;
  try {
    const run = await meter({ env, buyerCompanyId: input.buyerCompanyId, product: billed, rate, requestId }, async () => {
      const result = await runProduct(runContext(env, requestId), product, source, input.params);
      const createdAt = Date.now();
      await db.insert(purchases).values({
        id: purchaseId,
        companyId: input.buyerCompanyId,
        productId: product.id,
        result,
        credits: creditsDue(billed, input.buyerCompanyId, rate),
        priceUsd: product.priceUsd,
        createdAt,
      });
      stored = true;
      return { id: purchaseId, productId: product.id, result, createdAt };
    });
    return { purchase: run.result, billing: run.billing };
  } catch (error) {
    // The commit failed after the result was stored: the buyer was not charged, so nothing is kept.
    if (stored) await db.delete(purchases).where(eq(purchases.id, purchaseId));
    throw error;
  }
}

/** The buyer's stored results, newest first: re-read free. */
export async function listPurchases(db: Db, companyId: string, { limit, offset }: { limit: number; offset: number }) {
  return db
    .select({
      id: purchases.id,
      productId: purchases.productId,
      productName: products.name,
      assetKind: products.assetKind,
      credits: purchases.credits,
      priceUsd: purchases.priceUsd,
      createdAt: purchases.createdAt,
    })
    .from(purchases)
    .innerJoin(products, eq(products.id, purchases.productId))
    .where(eq(purchases.companyId, companyId))
    .orderBy(desc(purchases.createdAt))
    .limit(limit)
    .offset(offset);
}

export async function getPurchase(db: Db, companyId: string, id: string): Promise<Purchase> {
  const row = await db.query.purchases.findFirst({ where: and(eq(purchases.id, id), eq(purchases.companyId, companyId)) });
  if (!row) throw new TesseraError("NOT_FOUND", `No purchase ${id}.`);
  return { id: row.id, productId: row.productId, result: row.result as ProductResult, createdAt: row.createdAt };
}
