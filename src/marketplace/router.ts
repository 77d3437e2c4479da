import { z } from "zod";
import { TesseraError } from "../errors";
import type { MeteredAnswer } from "../metering/billing";
import type { Caller } from "../metering/call";
import { assetExecution } from "../metering/execution";
import { endpointPage } from "../metering/page";
import { provisionEndpointKey, buyerEndpointKeys, revokeEndpointKey, rollEndpointKey } from "../products/keys";
import { getPurchase, purchasesPage } from "../products/purchases";
import { buyerParams, productId } from "../products/schema";
import { getVisibleProduct } from "../products/service";
import { keysUsage } from "../companies/caps";
import { companyProcedure, router, writeProcedure, type Context } from "../trpc/trpc";
import { operationId } from "../schemas";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { addToLibrary, libraryOf, removeFromLibrary } from "../products/library";
import { productListing, quoteFor, searchInput, searchListings } from "./listings";

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

const libraryCursor = listCursor("library", timeAndId);
const endpointKeyCursor = listCursor("endpoint_keys", timeAndId);

/** Processing an asset: its parameters (the buyer filters its spec declares). */
export const processInput = z.object({ id: productId, params: buyerParams, idempotencyKey: operationId.optional() });

/** Buyers: discover, quote, subscribe, process assets, fetch endpoints. */
export const marketplaceRouter = router({
  search: companyProcedure.input(searchInput).query(({ ctx, input }) => searchListings(ctx.db, input)),

  get: companyProcedure.input(z.object({ id: productId })).query(({ ctx, input }) => productListing(ctx.db, ctx.caller.companyId, input.id)),

  /** What a product costs now, the balance after, and whether it is affordable. */
  quote: companyProcedure.input(z.object({ id: productId })).query(({ ctx, input }) => quoteFor(ctx, appCaller(ctx), input.id)),

  /** Adds an asset to the company's library: free, moves no credits. */
  subscribe: writeProcedure.input(z.object({ id: productId })).mutation(async ({ ctx, input }) => {
    const { product } = await getVisibleProduct(ctx.db, ctx.caller.companyId, input.id);
    if (product.type !== "asset") throw new TesseraError("BAD_REQUEST", "Only assets go in the library; endpoints get a key.");
    await addToLibrary(ctx.db, ctx.caller.companyId, product.id);
    return { productId: product.id, subscribed: true };
  }),

  unsubscribe: writeProcedure.input(z.object({ id: productId })).mutation(async ({ ctx, input }) => {
    await removeFromLibrary(ctx.db, ctx.caller.companyId, input.id);
    return { productId: input.id, subscribed: false };
  }),

  /** The assets the company subscribed to, newest first. */
  library: companyProcedure.input(listInput({}, 50, 200)).query(({ ctx, input }) =>
    paged(
      input,
      libraryCursor,
      (after, limit) => libraryOf(ctx.db, ctx.caller.companyId, { limit, after }),
      (item) => [item.subscribedAt, item.productId] as [number, string],
    ),
  ),

  /** Runs an asset now: billed once if it succeeds, never if it fails. A processed asset is in the library from then on. */
  process: writeProcedure.input(processInput).mutation(async ({ ctx, input }) => {
    const answer = await assetExecution(ctx, appCaller(ctx), { assetId: input.id, ...input }, attemptOf(ctx));
    const { data, billing } = unwrap(answer);
    // Processed in the app, the asset is (back) in the library, even after the buyer took it out.
    await addToLibrary(ctx.db, ctx.caller.companyId, data.product_id);
    return { purchase: { id: data.purchase_id, productId: data.product_id, result: data.result, createdAt: Date.now() }, billing };
  }),

  /** The company's Purchases (stored results), newest first. */
  purchases: companyProcedure.input(listInput({}, 20, 100)).query(({ ctx, input }) => purchasesPage(ctx, ctx.caller.companyId, input)),

  purchase: companyProcedure.input(z.object({ id: z.string().min(1).max(100) })).query(({ ctx, input }) => getPurchase(ctx, ctx.caller.companyId, input.id)),

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
    keys: companyProcedure.input(listInput({}, 50, 100)).query(async ({ ctx, input }) => {
      const page = await paged(
        input,
        endpointKeyCursor,
        (after, limit) => buyerEndpointKeys(ctx.db, ctx.caller.companyId, { limit, after }),
        (k) => [k.createdAt, k.id] as [number, string],
      );
      return mapPage(page, async (keys) => {
        const usage = await keysUsage(ctx, ctx.caller.companyId, keys.map((k) => k.id));
        return keys.map((k) => ({ ...k, usage: usage.get(k.id)! }));
      });
    }),

    /** Revokes the company's key for an endpoint and issues a new one (same caps) in one step; the new secret shows once. */
    rollKey: writeProcedure.input(z.object({ keyId: z.string().min(1).max(100) })).mutation(({ ctx, input }) =>
      rollEndpointKey(ctx, ctx.caller.companyId, input.keyId),
    ),

    revokeKey: writeProcedure.input(z.object({ keyId: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
      await revokeEndpointKey(ctx, input.keyId, { role: "buyer", companyId: ctx.caller.companyId });
      return { keyId: input.keyId, revoked: true };
    }),
  }),
});
