import { and, desc, eq, lt, ne } from "drizzle-orm";
import { z } from "zod";
import { getCompany } from "../companies/service";
import { getDataSource } from "../data";
import { requestLogs } from "../db/schema";
import { toDecimalNumber, type Usd } from "../money";
import { currentRate } from "../rates";
import { usdPrice } from "../schemas";
import { companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { endpointCustomers, revokeEndpointKey } from "./keys";
import { refreshPreview, tryProduct } from "./preview";
import { buyerParams, createProductInput, productId, updateProductInput } from "./schema";
import { createProduct, getOwnProduct, listOwnProducts, priceHistory, setPrice, updateProduct } from "./service";
import { ownProductView } from "./views";

/** Sellers: their products, prices, customers' keys and request log. */
export const productsRouter = router({
  list: companyProcedure.query(async ({ ctx }) => {
    const [seller, rate, own] = await Promise.all([
      getCompany(ctx.db, ctx.caller.companyId),
      currentRate(ctx.db),
      listOwnProducts(ctx.db, ctx.caller.companyId),
    ]);
    return own.map((p) => ownProductView(p, seller.canSell, rate));
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
    const source = await getDataSource({ catalog: ctx.env.DB }, input.dataSourceId, { companyId: seller.id });
    const product = await createProduct(ctx, seller, source, input);
    const withPreview = await refreshPreview(ctx, product, source, ctx.requestId);
    return ownProductView(withPreview, seller.canSell, await currentRate(ctx.db));
  }),

  update: writeProcedure.input(updateProductInput).mutation(async ({ ctx, input }) => {
    const { id, ...patch } = input;
    const seller = await getCompany(ctx.db, ctx.caller.companyId);
    const product = await getOwnProduct(ctx.db, seller.id, id);
    // A new spec is checked against its data and gets a new preview.
    const source = patch.spec === undefined ? undefined : await getDataSource({ catalog: ctx.env.DB }, product.dataSourceId);
    let next = await updateProduct(ctx, seller, product, patch, source);
    if (source) next = await refreshPreview(ctx, next, source, ctx.requestId);
    return ownProductView(next, seller.canSell, await currentRate(ctx.db));
  }),

  /** A new price for the next execution or request; earlier sales keep theirs. */
  setPrice: writeProcedure.input(z.object({ id: productId, priceUsd: usdPrice })).mutation(async ({ ctx, input }) => {
    const seller = await getCompany(ctx.db, ctx.caller.companyId);
    const product = await getOwnProduct(ctx.db, seller.id, input.id);
    const next = await setPrice(ctx, product, input.priceUsd as Usd);
    return ownProductView(next, seller.canSell, await currentRate(ctx.db));
  }),

  priceHistory: companyProcedure.input(z.object({ id: productId })).query(async ({ ctx, input }) => {
    await getOwnProduct(ctx.db, ctx.caller.companyId, input.id);
    return (await priceHistory(ctx.db, input.id)).map((p) => ({ priceUsd: toDecimalNumber(p.priceUsd), effectiveAt: p.effectiveAt }));
  }),

  /** Runs the product as a buyer would, for the seller, free. */
  try: companyProcedure
    .input(z.object({ id: productId, params: buyerParams }))
    .query(async ({ ctx, input }) => {
      const product = await getOwnProduct(ctx.db, ctx.caller.companyId, input.id);
      return tryProduct(ctx, product, input.params, ctx.requestId);
    }),

  /** Which buyer companies hold keys to this endpoint. */
  customers: companyProcedure.input(z.object({ id: productId })).query(async ({ ctx, input }) => {
    await getOwnProduct(ctx.db, ctx.caller.companyId, input.id);
    return endpointCustomers(ctx.db, input.id);
  }),

  /** Cuts one buyer company off this endpoint; its key stops on the next request. */
  revokeCustomerKey: writeProcedure.input(z.object({ keyId: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    await revokeEndpointKey(ctx, input.keyId, { role: "seller", companyId: ctx.caller.companyId });
    return { keyId: input.keyId, revoked: true };
  }),

  /** Metered calls to the seller's products, newest first. */
  requestLog: companyProcedure
    .input(
      z.object({
        productId: productId.optional(),
        status: z.enum(["success", "error"]).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        before: z.number().int().positive().optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const filters = [eq(requestLogs.sellerCompanyId, ctx.caller.companyId)];
      if (input.productId) filters.push(eq(requestLogs.productId, input.productId));
      if (input.status) filters.push(input.status === "success" ? eq(requestLogs.status, 200) : ne(requestLogs.status, 200));
      if (input.before) filters.push(lt(requestLogs.createdAt, input.before));
      const rows = await ctx.db
        .select()
        .from(requestLogs)
        .where(and(...filters))
        .orderBy(desc(requestLogs.createdAt))
        .limit(input.limit);
      return rows.map((r) => ({ ...r, credits: toDecimalNumber(r.credits) }));
    }),
});
