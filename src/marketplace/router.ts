import { z } from "zod";
import { parseSpec } from "../data";
import { TesseraError } from "../errors";
import type { MeteredAnswer } from "../metering/billing";
import { dueOf, termsFor, type Caller } from "../metering/call";
import { assetExecution } from "../metering/execution";
import { endpointPage } from "../metering/page";
import { toDecimalNumber } from "../money";
import { provisionEndpointKey, buyerEndpointKeys, revokeEndpointKey, rollEndpointKey } from "../products/keys";
import { getPurchase, listPurchases } from "../products/purchases";
import { buyerParams, productId } from "../products/schema";
import { searchProducts } from "../products/search";
import { getVisibleProduct } from "../products/service";
import { listingView } from "../products/views";
import { currentRate } from "../rates";
import { listingReputation } from "../ratings/listing";
import { keysUsage } from "../companies/caps";
import { services } from "../services";
import { companyProcedure, router, writeProcedure, type Context } from "../trpc/trpc";
import { wallet } from "../wallet/client";
import { operationId } from "../schemas";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { addToLibrary, libraryOf, removeFromLibrary } from "../products/library";

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

const searchCursor = listCursor("search", z.tuple([z.number(), z.string().min(1).max(100)]));
const libraryCursor = listCursor("library", timeAndId);
const purchaseCursor = listCursor("purchases", z.tuple([z.number().int().positive()]));
const endpointKeyCursor = listCursor("endpoint_keys", timeAndId);

/** Processing an asset: its parameters (the buyer filters its spec declares). */
export const processInput = z.object({ id: productId, params: buyerParams, idempotencyKey: operationId.optional() });

/** The marketplace's search: words (ranked with bm25) and filters, one page of listings. */
export const searchInput = listInput(
  {
    query: z.string().max(200).optional(),
    type: z.enum(["asset", "endpoint"]).optional(),
    assetKind: z.enum(["calculation", "visualization"]).optional(),
    tags: z.array(z.string().max(40)).max(10).optional(),
    category: z.string().max(60).optional(),
    minPriceUsd: z.number().min(0).max(10_000).optional(),
    maxPriceUsd: z.number().min(0).max(10_000).optional(),
  },
  20,
  100,
);

/** Buyers: discover, quote, subscribe, process assets, fetch endpoints. */
export const marketplaceRouter = router({
  search: companyProcedure.input(searchInput).query(async ({ ctx, input }) => {
    const toMicro = (usd: number | undefined) => (usd === undefined ? undefined : Math.round(usd * 1_000_000));
    const [page, rate] = await Promise.all([
      paged(
        input,
        searchCursor,
        (after, limit) => searchProducts(ctx.db, { ...input, limit, after, minPriceUsd: toMicro(input.minPriceUsd), maxPriceUsd: toMicro(input.maxPriceUsd) }),
        (hit) => [...hit.sortKey] as [number, string],
      ),
      currentRate(ctx.db),
    ]);
    return mapPage(page, async (hits) => {
      const reputation = await listingReputation(ctx.db, hits);
      return hits.map(({ sortKey: _key, ...hit }) => ({
        ...listingView({ ...hit, documentation: "", preview: null }, { name: hit.sellerName }, rate),
        ...reputation.get(hit.id)!,
      }));
    });
  }),

  get: companyProcedure.input(z.object({ id: productId })).query(async ({ ctx, input }) => {
    const [{ product, sellerName }, rate] = await Promise.all([
      getVisibleProduct(ctx.db, ctx.caller.companyId, input.id),
      currentRate(ctx.db),
    ]);
    const filters = parseSpec(product.spec).filters.map(({ param, type, op, required, description }) => ({ param, type, op, required, description }));
    return listingView(product, { name: sellerName }, rate, filters);
  }),

  /** What a product costs now, the balance after, and whether it is affordable. */
  quote: companyProcedure.input(z.object({ id: productId })).query(async ({ ctx, input }) => {
    // The terms a call would be charged by, from the product's object: the quote is the charge.
    const caller = appCaller(ctx);
    const [terms, rate, balance] = await Promise.all([
      termsFor(services(ctx.env, ctx.db), caller, input.id),
      currentRate(ctx.db),
      wallet(ctx.env, ctx.caller.companyId).balance(),
    ]);
    const { due } = dueOf(terms, caller, rate);
    const credits = due?.credits ?? 0;
    const product = { id: terms.productId, type: terms.type };
    return {
      productId: product.id,
      priceUsd: toDecimalNumber(terms.priceUsd),
      credits: toDecimalNumber(credits),
      availableCredits: toDecimalNumber(balance.available),
      balanceAfter: toDecimalNumber(balance.available - credits),
      affordable: balance.available >= credits,
      billedPer: product.type === "asset" ? "execution" : "successful request",
    };
  }),

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
    const answer = await assetExecution(services(ctx.env, ctx.db), appCaller(ctx), { assetId: input.id, ...input }, attemptOf(ctx));
    const { data, billing } = unwrap(answer);
    await addToLibrary(ctx.db, ctx.caller.companyId, data.product_id);
    return { purchase: { id: data.purchase_id, productId: data.product_id, result: data.result, createdAt: Date.now() }, billing };
  }),

  /** The company's Purchases (stored results), newest first. */
  purchases: companyProcedure.input(listInput({}, 20, 100)).query(async ({ ctx, input }) => {
    const page = await paged(
      input,
      purchaseCursor,
      (after, limit) => listPurchases(ctx.env, ctx.db, ctx.caller.companyId, { limit, beforeSeq: after?.[0] }),
      (p) => [p.seq] as [number],
    );
    return mapPage(page, (rows) => rows.map(({ seq: _seq, ...r }) => ({ ...r, credits: toDecimalNumber(r.credits), priceUsd: toDecimalNumber(r.priceUsd) })));
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
          services(ctx.env, ctx.db),
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
        const usage = await keysUsage(ctx.env, ctx.caller.companyId, keys.map((k) => k.id));
        return keys.map((k) => ({ ...k, usage: usage.get(k.id)! }));
      });
    }),

    /** Revokes the company's key for an endpoint and issues a new one (same caps) in one step; the new secret shows once. */
    rollKey: writeProcedure.input(z.object({ keyId: z.string().min(1).max(100) })).mutation(({ ctx, input }) =>
      rollEndpointKey(ctx.env, ctx.db, ctx.caller.companyId, input.keyId),
    ),

    revokeKey: writeProcedure.input(z.object({ keyId: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
      await revokeEndpointKey(ctx.env, ctx.db, input.keyId, { role: "buyer", companyId: ctx.caller.companyId });
      return { keyId: input.keyId, revoked: true };
    }),
  }),
});
