/**
 * A buyer's Purchases: the stored results of processed assets, re-read free.
 * They live in the buyer's wallet, written with the commit that paid for
 * them (src/wallet/purchases.ts); names come from the catalog.
 */
import { inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db";
import { products } from "../db/schema";
import { TesseraError } from "../errors";
import { toDecimalNumber } from "../money";
import { listCursor, mapPage, paged } from "../paging";
import { wallet } from "../wallet/client";
import type { ProductResult } from "./run";

export interface Purchase {
  id: string;
  productId: string;
  result: ProductResult;
  createdAt: number;
}

/** The buyer's stored results, newest first. */
export async function listPurchases(env: Env, db: Db, companyId: string, page: { limit: number; beforeSeq?: number | undefined }) {
  const items = await wallet(env, companyId).purchases({ limit: page.limit, ...(page.beforeSeq === undefined ? {} : { beforeSeq: page.beforeSeq }) });
  const ids = [...new Set(items.map((p) => p.productId))];
  const names = new Map(
    ids.length === 0
      ? []
      : (await db.select({ id: products.id, name: products.name, assetKind: products.assetKind }).from(products).where(inArray(products.id, ids))).map(
          (p) => [p.id, p],
        ),
  );
  return items.map((p) => ({
    id: p.id,
    productId: p.productId,
    productName: names.get(p.productId)?.name ?? p.productId,
    assetKind: names.get(p.productId)?.assetKind ?? null,
    credits: p.credits,
    priceUsd: p.priceUsd,
    createdAt: p.createdAt,
    seq: p.seq,
  }));
}

const purchaseCursor = listCursor("purchases", z.tuple([z.number().int().positive()]));

/** One page of the buyer's stored results, newest first, amounts as decimals: the app's and the MCP tool's list. */
export async function purchasesPage(env: Env, db: Db, companyId: string, input: { limit: number; cursor?: string | undefined }) {
  const page = await paged(input, purchaseCursor, (after, limit) => listPurchases(env, db, companyId, { limit, beforeSeq: after?.[0] }), (p) => [p.seq] as [number]);
  return mapPage(page, (rows) => rows.map(({ seq: _seq, ...r }) => ({ ...r, credits: toDecimalNumber(r.credits), priceUsd: toDecimalNumber(r.priceUsd) })));
}

export async function getPurchase(env: Env, companyId: string, id: string): Promise<Purchase> {
  const found = await wallet(env, companyId).purchase(id);
  if (!found) throw new TesseraError("NOT_FOUND", `No purchase ${id}.`);
  return { id: found.id, productId: found.productId, result: JSON.parse(found.result) as ProductResult, createdAt: found.createdAt };
}
