/**
 * `npm run bench:data` only (BENCH=1, see index.ts): one page of an endpoint
 * served through `runProduct` exactly as a metered call runs it, minus the
 * key check and the wallet, so the data path is measured on its own. The
 * product is read once and kept, the data source comes from the isolate
 * cache: a warm call here reads no D1. The page cache is off unless
 * `?cache=1` (then used whether the dataset is hot or not), so each call
 * reaches the dataset's object.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { products } from "../db/schema";
import { TesseraError } from "../errors";
import { runContext, sourceOf } from "../products/context";
import { runProduct } from "../products/run";
import type { Product } from "../products/service";

export const benchData = new Hono<AppEnv>();

const kept = new Map<string, Product>();

benchData.get("/__bench/data/:productId", async (c) => {
  const id = c.req.param("productId");
  let product = kept.get(id);
  if (!product) {
    product = await c.var.services.db.query.products.findFirst({ where: eq(products.id, id) });
    if (!product) throw new TesseraError("NOT_FOUND", `No product ${id}.`);
    kept.set(id, product);
  }
  const { page_size: pageSize, cursor, cache, ...params } = c.req.query();
  const source = await sourceOf(c.var.services, product.dataSourceId);
  const ctx = runContext(c.var.services, c.get("requestId"));
  const pages = cache === "1" && ctx.cache ? { ...ctx.cache, always: true } : null;
  const result = await runProduct({ ...ctx, cache: pages }, product, source, params, { pageSize, cursor });
  if (result.type !== "rows") throw new TesseraError("BAD_REQUEST", `${id} is not an endpoint.`);
  return c.json({ data: result.rows, next_cursor: result.nextCursor });
});
