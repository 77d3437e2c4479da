import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { library, products } from "../db/schema";
import { TesseraError } from "../errors";
import type { MeteredAnswer } from "../metering/billing";
import type { Caller } from "../metering/call";
import { assetExecution } from "../metering/execution";
import { endpointPage } from "../metering/page";
import { toDecimalNumber } from "../money";
import { provisionEndpointKey, buyerEndpointKeys, revokeEndpointKey } from "../products/keys";
import { getPurchase, listPurchases } from "../products/purchases";
import { buyerParams, productId } from "../products/schema";
import { getVisibleProduct } from "../products/service";
import { keysUsage } from "../companies/caps";
import { companyProcedure, router, writeProcedure, type Context } from "../trpc/trpc";
import { operationId } from "../schemas";
import { productListing, quoteFor, searchListings } from "./listings";

/** The in-app caller of a metered call: the signed-in member or the key behind the request. */
function appCaller(ctx: Context & { caller: { keyId: string; companyId: string } }): Caller {
  return { keyId: ctx.caller.keyId, companyId: ctx.caller.companyId, channel: "app" };
}

function attemptOf(ctx: Context) {
  return { requestId: ctx.requestId, startedAt: Date.now(), method: "POST" };
}

/** A metered answer as tRPC gives it: the body on success, the error (with its billing) thrown. */
function unwrap<T>(answer: MeteredAnswer<T>): T {
  const body = answer.body as T | { error: { code: string; message: string } };
  if (answer.status !== 200 && typeof body === "object" && body !== null && "error" in body) {
    throw new TesseraError(body.error.code as "BAD_REQUEST", body.error.message, { billing: answer.billing });
  }
  return body as T;
}

const page = { limit: z.number().int().min(1).max(100).default(20), offset: z.number().int().min(0).max(10_000).default(0) };

/** Buyers: discover, quote, subscribe, process assets, fetch endpoints. */
export const marketplaceRouter = router({
  search: companyProcedure
    .input(
      z.object({
        query: z.string().max(200).optional(),
        type: z.enum(["asset", "endpoint"]).optional(),
        assetKind: z.enum(["calculation", "visualization"]).optional(),
        tags: z.array(z.string().max(40)).max(10).optional(),
        category: z.string().max(60).optional(),
        minPriceUsd: z.number().min(0).max(10_000).optional(),
        maxPriceUsd: z.number().min(0).max(10_000).optional(),
        ...page,
      }),
    )
    .query(({ ctx, input }) => searchListings(ctx.db, input)),

  get: companyProcedure.input(z.object({ id: productId })).query(({ ctx, input }) => productListing(ctx.db, ctx.caller.companyId, input.id)),

  /** What a product costs now, the balance after, and whether it is affordable. */
  quote: companyProcedure.input(z.object({ id: productId })).query(({ ctx, input }) => quoteFor(ctx, appCaller(ctx), input.id)),

  /** Adds an asset to the company's library: free, moves no credits. */
  subscribe: writeProcedure.input(z.object({ id: productId })).mutation(async ({ ctx, input }) => {
    const { product } = await getVisibleProduct(ctx.db, ctx.caller.companyId, input.id);
    if (product.type !== "asset") throw new TesseraError("BAD_REQUEST", "Only assets go in the library; endpoints get a key.");
    await ctx.db.insert(library).values({ companyId: ctx.caller.companyId, productId: product.id, createdAt: Date.now() }).onConflictDoNothing();
    return { productId: product.id, subscribed: true };
  }),

  unsubscribe: writeProcedure.input(z.object({ id: productId })).mutation(async ({ ctx, input }) => {
    await ctx.db.delete(library).where(and(eq(library.companyId, ctx.caller.companyId), eq(library.productId, input.id)));
    return { productId: input.id, subscribed: false };
  }),

  library: companyProcedure.query(async ({ ctx }) =>
    ctx.db
      .select({ productId: products.id, name: products.name, assetKind: products.assetKind, subscribedAt: library.createdAt })
      .from(library)
      .innerJoin(products, eq(products.id, library.productId))
      .where(eq(library.companyId, ctx.caller.companyId))
      .orderBy(desc(library.createdAt)),
  ),

  /** Runs an asset now: billed once if it succeeds, never if it fails. */
  process: writeProcedure.input(z.object({ id: productId, params: buyerParams, idempotencyKey: operationId.optional() })).mutation(async ({ ctx, input }) => {
    const answer = await assetExecution(ctx, appCaller(ctx), { assetId: input.id, ...input }, attemptOf(ctx));
    const { data, billing } = unwrap(answer);
    return { purchase: { id: data.purchase_id, productId: data.product_id, result: data.result, createdAt: Date.now() }, billing };
  }),

  purchases: companyProcedure.input(z.object(page)).query(async ({ ctx, input }) => {
    const rows = await listPurchases(ctx.env, ctx.db, ctx.caller.companyId, input);
    return rows.map((r) => ({ ...r, credits: toDecimalNumber(r.credits), priceUsd: toDecimalNumber(r.priceUsd) }));
  }),

  purchase: companyProcedure.input(z.object({ id: z.string().min(1).max(100) })).query(({ ctx, input }) => getPurchase(ctx.env, ctx.caller.companyId, input.id)),

  endpoints: router({
    /** The company's key for an endpoint, made on first use (free). The secret shows only when new. */
    key: writeProcedure.input(z.object({ id: productId })).mutation(async ({ ctx, input }) => {
      const { product } = await getVisibleProduct(ctx.db, ctx.caller.companyId, input.id);
      if (product.type !== "endpoint") throw new TesseraError("BAD_REQUEST", `${product.id} is an asset: process it instead.`);
      return provisionEndpointKey(ctx.db, product.id, ctx.caller.companyId, ctx.env.KEY_SECRET);
    }),

    /** Fetches a page through the marketplace: provisions the key on first use, bills like the REST call. */
    fetch: writeProcedure
      .input(
        z.object({
          id: productId,
          params: buyerParams,
          pageSize: z.number().int().min(1).max(1000).optional(),
          cursor: z.string().max(2000).optional(),
          idempotencyKey: operationId.optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const { product } = await getVisibleProduct(ctx.db, ctx.caller.companyId, input.id);
        if (product.type !== "endpoint") throw new TesseraError("BAD_REQUEST", `${product.id} is an asset: process it instead.`);
        const key = await provisionEndpointKey(ctx.db, product.id, ctx.caller.companyId, ctx.env.KEY_SECRET);
        const params = Object.fromEntries(Object.entries(input.params).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
        const answer = await endpointPage(
          ctx,
          { keyId: key.id, companyId: ctx.caller.companyId, endpointId: product.id, channel: "app" },
          { endpointId: product.id, params, pageSize: input.pageSize, cursor: input.cursor, idempotencyKey: input.idempotencyKey },
          attemptOf(ctx),
        );
        return { key, page: unwrap(answer) };
      }),

    /** The company's endpoint keys, each with what it spent and its spending caps (set with keys.setCaps). */
    keys: companyProcedure.query(async ({ ctx }) => {
      const keys = await buyerEndpointKeys(ctx.db, ctx.caller.companyId);
      const usage = await keysUsage(ctx, ctx.caller.companyId, keys.map((k) => k.id));
      return keys.map((k) => ({ ...k, usage: usage.get(k.id)! }));
    }),

    revokeKey: writeProcedure.input(z.object({ keyId: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
      await revokeEndpointKey(ctx, input.keyId, { role: "buyer", companyId: ctx.caller.companyId });
      return { keyId: input.keyId, revoked: true };
    }),
  }),
});
