import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { companies, productPrices, products } from "../db/schema";
import { TesseraError } from "../errors";
import { newId } from "../ids";
import { pastKey } from "../paging";
import { asUsd, type Usd } from "../money";
import { indexForSpec, type DataSource } from "../data";
import { productState } from "./client";
import { checkProductSpec } from "./run";
import type { ProductChange } from "./state";
import { isListed } from "./terms";

export { isListed };

export type Product = typeof products.$inferSelect;
export type ProductType = Product["type"];
export type AssetKind = NonNullable<Product["assetKind"]>;

export interface ProductDraft {
  type: ProductType;
  assetKind?: AssetKind | undefined;
  name: string;
  description?: string | undefined;
  tags?: string[] | undefined;
  category?: string | null | undefined;
  documentation?: string | undefined;
  topQuestions?: string[] | undefined;
  dataSourceId: string;
  spec: unknown;
  priceUsd: Usd;
  sellInMarketplace?: boolean | undefined;
}

export type ProductPatch = Partial<Omit<ProductDraft, "type" | "assetKind" | "priceUsd" | "dataSourceId">>;

const idPrefix: Record<ProductType, string> = { asset: "ast", endpoint: "ept" };

/**
 * Creates a seller's product after checking its spec against its data
 * source and building, in a hosted dataset, the indexes that serve it. The
 * product's object holds it from now on (state.ts) and writes D1's copy.
 */
export async function createProduct(env: Env, db: Db, seller: { id: string; canSell: boolean }, source: DataSource, draft: ProductDraft): Promise<Product> {
  if (draft.type === "asset" && !draft.assetKind) throw new TesseraError("BAD_REQUEST", "An asset needs assetKind: calculation or visualization.");
  if (draft.type === "endpoint" && draft.assetKind) throw new TesseraError("BAD_REQUEST", "assetKind applies to assets only.");
  if (draft.type === "asset" && draft.topQuestions?.length) throw new TesseraError("BAD_REQUEST", "Top Questions apply to endpoints only.");
  if (draft.sellInMarketplace && !seller.canSell) throw notVerified();
  const spec = checkProductSpec(draft.type, draft.assetKind ?? null, source, draft.spec);
  await indexForSpec(env.DATASET, source, spec);
  const now = Date.now();
  const product: Product = {
    id: newId(idPrefix[draft.type]),
    sellerCompanyId: seller.id,
    type: draft.type,
    assetKind: draft.assetKind ?? null,
    name: draft.name,
    description: draft.description ?? "",
    tags: draft.tags ?? [],
    category: draft.category ?? null,
    documentation: draft.documentation ?? "",
    topQuestions: draft.topQuestions ?? [],
    dataSourceId: source.id,
    spec,
    preview: null,
    priceUsd: draft.priceUsd,
    sellInMarketplace: draft.sellInMarketplace ?? false,
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
  const state = productState(env, product.id);
  const made = await state.create(product, seller.canSell);
  // A Stripe disconnect racing this creation may have missed the new product
  // (connect/standing.ts tells every product it finds in D1); read the
  // seller's standing again now that the row is there.
  const standing = await db.query.companies.findFirst({ where: eq(companies.id, seller.id), columns: { canSell: true } });
  if (standing && standing.canSell !== seller.canSell) await state.setSellerCanSell(standing.canSell);
  return made;
}

/** A product of the seller's own; anyone else's is NOT_FOUND. */
export async function getOwnProduct(db: Db, sellerCompanyId: string, id: string): Promise<Product> {
  const product = await db.query.products.findFirst({
    where: and(eq(products.id, id), eq(products.sellerCompanyId, sellerCompanyId)),
  });
  if (!product) throw new TesseraError("NOT_FOUND", `No product ${id}.`);
  return product;
}

/** The seller's products, newest first; page on `after` the last one's [createdAt, id]. */
export async function listOwnProducts(db: Db, sellerCompanyId: string, page: { limit: number; after?: readonly [number, string] | undefined }): Promise<Product[]> {
  return db
    .select()
    .from(products)
    .where(and(eq(products.sellerCompanyId, sellerCompanyId), pastKey("desc", [products.createdAt, products.id], page.after)))
    .orderBy(desc(products.createdAt), desc(products.id))
    .limit(page.limit);
}

export async function updateProduct(
  env: Env,
  seller: { id: string; canSell: boolean },
  product: Product,
  patch: ProductPatch,
  /** The product's data source: needed only when the patch changes the spec. */
  source?: DataSource,
): Promise<Product> {
  if (patch.sellInMarketplace && !seller.canSell) throw notVerified();
  if (product.type === "asset" && patch.topQuestions?.length) throw new TesseraError("BAD_REQUEST", "Top Questions apply to endpoints only.");
  let spec = product.spec;
  if (patch.spec !== undefined) {
    if (!source) throw new TesseraError("INTERNAL", "A new spec is checked against its data source.");
    const checked = checkProductSpec(product.type, product.assetKind, source, patch.spec);
    await indexForSpec(env.DATASET, source, checked);
    spec = checked;
  }
  const change: ProductChange = { ...patch, ...(patch.spec === undefined ? {} : { spec, preview: null }) };
  return productState(env, product.id).update(change);
}

/** Sets a new price; the next execution or request pays it (the product's object says so). The old ones stay in the history. */
export async function setPrice(env: Env, product: Product, priceUsd: Usd): Promise<Product> {
  return productState(env, product.id).setPrice(priceUsd);
}

/** A product's prices, newest first; page on `after` the last one's [effectiveAt, id]. */
export async function priceHistory(db: Db, productId: string, page: { limit: number; after?: readonly [number, number] | undefined }) {
  const rows = await db
    .select({ id: productPrices.id, priceUsd: productPrices.priceUsd, effectiveAt: productPrices.effectiveAt })
    .from(productPrices)
    .where(and(eq(productPrices.productId, productId), pastKey("desc", [productPrices.effectiveAt, productPrices.id], page.after)))
    .orderBy(desc(productPrices.effectiveAt), desc(productPrices.id))
    .limit(page.limit);
  return rows.map((r) => ({ id: r.id, priceUsd: asUsd(r.priceUsd), effectiveAt: r.effectiveAt }));
}

export async function savePreview(env: Env, productId: string, preview: unknown): Promise<Product> {
  return productState(env, productId).update({ preview });
}

/** A product another company may see (read from D1's copy): listed, or its own. */
export async function getVisibleProduct(db: Db, viewerCompanyId: string, id: string) {
  const row = await db
    .select({ product: products, sellerName: companies.name, sellerCanSell: companies.canSell })
    .from(products)
    .innerJoin(companies, eq(companies.id, products.sellerCompanyId))
    .where(eq(products.id, id))
    .get();
  if (!row || (row.product.sellerCompanyId !== viewerCompanyId && !isListed(row.product, row.sellerCanSell))) {
    throw new TesseraError("NOT_FOUND", `No product ${id}.`);
  }
  return row;
}

function notVerified(): TesseraError {
  return new TesseraError("FORBIDDEN", "Connect and verify Stripe before selling in the marketplace.");
}
