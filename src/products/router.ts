import { z } from "zod";
import { getCompany } from "../companies/service";
import { getDataSource } from "../data";
import { toDecimalNumber, type Usd } from "../money";
import { currentRate } from "../rates";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { sellerRequestLog } from "./request-log";
import { companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { endpointCustomers, revokeEndpointKey } from "./keys";
import { refreshPreview, tryProduct } from "./preview";
import { buyerParams, createProductInput, productId, setPriceInput, updateProductInput } from "./schema";
import { createProduct, getOwnProduct, listOwnProducts, priceHistory, setPrice, updateProduct } from "./service";
import { ownProductView } from "./views";

const productCursor = listCursor("products", timeAndId);
const priceCursor = listCursor("prices", z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]));
const customerCursor = listCursor("customers", timeAndId);
const logCursor = listCursor("request_log", timeAndId);

export const requestLogInput = listInput({ productId: productId.optional(), status: z.enum(["success", "error"]).optional() }, 50, 200);

/** Sellers: their products, prices, customers' keys and request log. */
export const productsRouter = router({
  /** The seller's products, newest first. */
  list: companyProcedure.input(listInput({}, 50, 200)).query(async ({ ctx, input }) => {
    const [seller, rate, page] = await Promise.all([
      getCompany(ctx.db, ctx.caller.companyId),
      currentRate(ctx.db),
      paged(input, productCursor, (after, limit) => listOwnProducts(ctx.db, ctx.caller.companyId, { limit, after }), (p) => [p.createdAt, p.id] as [number, string]),
    ]);
    return mapPage(page, (own) => own.map((p) => ownProductView(p, seller.canSell, rate)));
  }),

  get: companyProcedure.input(z.object({ id: productId })).query(async ({ ctx, input }) => {
    const [seller, rate, product] = await Promise.all([
      getCompany(ctx.db, ctx.caller.companyId),
      currentRate(ctx.db),
      getOwnProduct(ctx.db, ctx.caller.companyId, input.id),
    ]);
    return ownProductView(product, seller.canSell, rate);
  }),

  create: writeProcedure.input(createProductInput).mutation(async ({ ctx, input }) => {
    const seller = await getCompany(ctx.db, ctx.caller.companyId);
    const source = await getDataSource({ database: ctx.env.DB }, input.dataSourceId, { companyId: seller.id });
    const product = await createProduct(ctx, seller, source, input);
    const withPreview = await refreshPreview(ctx, product, source, ctx.requestId);
    return ownProductView(withPreview, seller.canSell, await currentRate(ctx.db));
  }),

  update: writeProcedure.input(updateProductInput).mutation(async ({ ctx, input }) => {
    const { id, ...patch } = input;
    const seller = await getCompany(ctx.db, ctx.caller.companyId);
    const product = await getOwnProduct(ctx.db, seller.id, id);
    // A new spec is checked against its data and gets a new preview.
    const source = patch.spec === undefined ? undefined : await getDataSource({ database: ctx.env.DB }, product.dataSourceId);
    let next = await updateProduct(ctx, seller, product, patch, source);
    if (source) next = await refreshPreview(ctx, next, source, ctx.requestId);
    return ownProductView(next, seller.canSell, await currentRate(ctx.db));
  }),

  /** A new price for the next execution or request; earlier sales keep theirs. */
  setPrice: writeProcedure.input(setPriceInput).mutation(async ({ ctx, input }) => {
    const seller = await getCompany(ctx.db, ctx.caller.companyId);
    const product = await getOwnProduct(ctx.db, seller.id, input.id);
    const next = await setPrice(ctx, product, input.priceUsd as Usd);
    return ownProductView(next, seller.canSell, await currentRate(ctx.db));
  }),

  /** A product's prices, newest first. */
  priceHistory: companyProcedure.input(listInput({ id: productId }, 50, 200)).query(async ({ ctx, input }) => {
    await getOwnProduct(ctx.db, ctx.caller.companyId, input.id);
    const page = await paged(input, priceCursor, (after, limit) => priceHistory(ctx.db, input.id, { limit, after }), (p) => [p.effectiveAt, p.id] as [number, number]);
    return mapPage(page, (items) => items.map((p) => ({ priceUsd: toDecimalNumber(p.priceUsd), effectiveAt: p.effectiveAt })));
  }),

  /** Runs the product as a buyer would, for the seller, free. */
  try: companyProcedure
    .input(z.object({ id: productId, params: buyerParams, cursor: z.string().max(2000).optional() }))
    .query(async ({ ctx, input }) => {
      const product = await getOwnProduct(ctx.db, ctx.caller.companyId, input.id);
      return tryProduct(ctx, product, input.params, ctx.requestId, input.cursor);
    }),

  /** Which buyer companies hold keys to this endpoint. */
  customers: companyProcedure.input(listInput({ id: productId }, 50, 200)).query(async ({ ctx, input }) => {
    await getOwnProduct(ctx.db, ctx.caller.companyId, input.id);
    return paged(input, customerCursor, (after, limit) => endpointCustomers(ctx.db, input.id, { limit, after }), (k) => [k.createdAt, k.id] as [number, string]);
  }),

  /** Cuts one buyer company off this endpoint; its key stops on the next request. */
  revokeCustomerKey: writeProcedure.input(z.object({ keyId: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    await revokeEndpointKey(ctx, input.keyId, { role: "seller", companyId: ctx.caller.companyId });
    return { keyId: input.keyId, revoked: true };
  }),

  /** Metered calls to the seller's products, newest first, with buyer and product names and the sale in dollars. */
  requestLog: companyProcedure.input(requestLogInput).query(({ ctx, input }) =>
    paged(
      input,
      logCursor,
      (after, limit) => sellerRequestLog(ctx.db, ctx.caller.companyId, input, { limit, after }),
      (r) => [r.createdAt, r.id] as [number, string],
    ),
  ),
});
