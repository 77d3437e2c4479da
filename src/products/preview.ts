import type { DataSource } from "../data";
import { TesseraError } from "../errors";
import { runContext, sourceOf } from "./context";
import { runProduct, type ProductResult } from "./run";
import { savePreview, type Product } from "./service";
import type { Services } from "../services";

const PREVIEW_ROWS = 5;

/**
 * Computes the free preview buyers see: the first rows of an endpoint or the
 * asset's result with default parameters. A product whose parameters are all
 * required has no preview until the seller gives defaults.
 */
export async function refreshPreview(s: Services, product: Product, source: DataSource, requestId: string): Promise<Product> {
  let preview: ProductResult | null = null;
  try {
    preview = await runProduct(runContext(s, requestId), product, source, {}, { pageSize: PREVIEW_ROWS });
    if (preview.type === "rows") preview = { ...preview, nextCursor: null };
  } catch (error) {
    if (!(error instanceof TesseraError)) throw error;
  }
  return savePreview(s, product.id, preview);
}

/**
 * Runs a product for its own seller, free, so they see what buyers will get:
 * an endpoint 20 rows at a time, the page after `cursor` (the last page's nextCursor).
 */
export async function tryProduct(s: Services, product: Product, params: Record<string, unknown>, requestId: string, cursor?: string) {
  const source = await sourceOf(s, product.dataSourceId);
  return runProduct(runContext(s, requestId), product, source, params, { pageSize: 20, cursor: cursor ?? null });
}
