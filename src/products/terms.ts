/**
 * A product's terms of sale as a metered call needs them: what it is, what it
 * costs now, and whether it is on sale. They come from the product's own
 * object (state.ts) on every call, so a new price, a delisting or a seller's
 * Stripe disconnect applies to the very next call; the spec, which only
 * changes with the version, is sent only to callers that don't have it yet.
 */
import type { Usd } from "../money";
import type { AssetKind, Product, ProductType } from "./service";

export interface Terms {
  productId: string;
  /** Grows with every change of the product; caches of the spec are keyed by it. */
  version: number;
  type: ProductType;
  assetKind: AssetKind | null;
  sellerCompanyId: string;
  dataSourceId: string;
  priceUsd: Usd;
  /** On sale to other companies now (isListed). The seller may always call its own. */
  listed: boolean;
  /** The query spec, present when the caller's known version differs. */
  spec?: unknown;
}

/**
 * Listed means: the seller turned `sell_in_marketplace` on, the seller may
 * sell (Stripe verified), and the product is complete (a description and a
 * category, so buyers can find and judge it). `LISTED_SQL` (search.ts) is
 * the same rule in SQL.
 */
export function isListed(product: Pick<Product, "sellInMarketplace" | "description" | "category">, sellerCanSell: boolean): boolean {
  return product.sellInMarketplace && sellerCanSell && product.description.trim() !== "" && !!product.category;
}

export function termsOf(product: Product, sellerCanSell: boolean, knownVersion?: number): Terms {
  const version = product.version;
  return {
    productId: product.id,
    version,
    type: product.type,
    assetKind: product.assetKind,
    sellerCompanyId: product.sellerCompanyId,
    dataSourceId: product.dataSourceId,
    priceUsd: product.priceUsd as Usd,
    listed: isListed(product, sellerCanSell),
    ...(knownVersion === version ? {} : { spec: product.spec }),
  };
}
