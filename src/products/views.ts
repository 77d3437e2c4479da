import { priceSale, toDecimalNumber, asUsd, type CreditRate } from "../money";
import { isListed, type Product } from "./service";

/** A price as people read it: USD, its credits now, and what the seller earns per sale. */
export function priceView(priceUsd: number, rate: CreditRate) {
  const sale = priceSale(asUsd(priceUsd), rate);
  return {
    priceUsd: toDecimalNumber(priceUsd),
    priceCredits: toDecimalNumber(sale.credits),
    sellerEarnsUsd: toDecimalNumber(sale.sellerShare),
    platformFeeUsd: toDecimalNumber(sale.platformFee),
  };
}

type Described = Pick<
  Product,
  "id" | "type" | "assetKind" | "name" | "description" | "tags" | "category" | "documentation" | "topQuestions" | "preview" | "priceUsd"
>;

/** What anyone who may see a product reads about it, with its price now. */
function described(product: Described, rate: CreditRate) {
  return {
    id: product.id,
    type: product.type,
    assetKind: product.assetKind,
    name: product.name,
    description: product.description,
    tags: product.tags,
    category: product.category,
    documentation: product.documentation,
    topQuestions: product.topQuestions,
    preview: product.preview,
    ...priceView(product.priceUsd, rate),
  };
}

/** The seller's view of its product: everything, the spec included. */
export function ownProductView(product: Product, sellerCanSell: boolean, rate: CreditRate) {
  return {
    ...described(product, rate),
    dataSourceId: product.dataSourceId,
    spec: product.spec as Record<string, unknown>,
    sellInMarketplace: product.sellInMarketplace,
    listed: isListed(product, sellerCanSell),
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}

/** What buyers see of a listed product: no spec internals, no data source. */
export function listingView(
  product: Described & { sellerCompanyId: string },
  seller: { name: string },
  rate: CreditRate,
  filters: { param: string; type?: string | undefined; op: string; required: boolean; description?: string | undefined }[] = [],
) {
  return { ...described(product, rate), filters, seller: { id: product.sellerCompanyId, name: seller.name } };
}
