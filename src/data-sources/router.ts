import { eq } from "drizzle-orm";
import { z } from "zod";
import {
  createOrigin,
  getDataSource,
  listDataSources,
  publicDataSource,
  removeDataSource,
  runRows,
} from "../data";
import { products } from "../db/schema";
import { TesseraError } from "../errors";
import { companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { dataDeps, requireSeller } from "./seller";

const sourceId = z.string().trim().min(1).max(100);

/** Shown with the secret, the one time it is shown. */
const VERIFY_NOTE =
  "Store this secret now: it is never shown again. Each call from Tessera carries x-tessera-signature: t=<unix seconds>,v1=<hex>, " +
  "where v1 = hex(HMAC-SHA256(secret, `${t}.${METHOD}.${pathAndQuery}.${hex(SHA-256(body))}`)) and pathAndQuery is the request target " +
  "exactly as received. Recompute v1, compare in constant time, and refuse a t more than 5 minutes from your clock.";

/**
 * A seller's data sources: hosted datasets (uploaded through POST /v1/datasets)
 * and HTTP origins. Every read and change is scoped to the caller's company;
 * someone else's source is NOT_FOUND.
 */
export const dataSourcesRouter = router({
  list: companyProcedure.query(async ({ ctx }) =>
    (await listDataSources(dataDeps(ctx.env), ctx.caller.companyId)).map(publicDataSource),
  ),

  get: companyProcedure
    .input(z.object({ id: sourceId }))
    .query(async ({ ctx, input }) =>
      publicDataSource(await getDataSource(dataDeps(ctx.env), input.id, { companyId: ctx.caller.companyId })),
    ),

  /** Registers an HTTPS origin; the answer is the only place its signing secret ever appears. */
  createOrigin: writeProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(200),
        url: z.string().trim().min(1).max(2000),
        // The range (and its message) is createOrigin's.
        timeoutMs: z.number().int().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireSeller(ctx.db, ctx.caller.companyId);
      const { source, signingSecret } = await createOrigin(
        { catalog: ctx.env.DB, secrets: ctx.env },
        { companyId: ctx.caller.companyId, ...input },
        { allowInsecureOrigins: ctx.env.ALLOW_INSECURE_ORIGINS === "1" },
      );
      // The public view plus the secret itself (not its sealed form), this once.
      const { secret: _sealed, ...view } = source;
      return { ...view, secret: signingSecret, verification: VERIFY_NOTE };
    }),

  /** The first rows of a hosted dataset, every column, for the seller's product editor. */
  rows: companyProcedure
    .input(z.object({ id: sourceId, limit: z.number().int().min(1).max(50).default(20) }))
    .query(async ({ ctx, input }) => {
      const source = await getDataSource(dataDeps(ctx.env), input.id, { companyId: ctx.caller.companyId });
      if (source.kind !== "dataset") {
        throw new TesseraError("BAD_REQUEST", `${source.id} is an HTTP origin; only hosted datasets have stored rows to preview.`);
      }
      const { rows } = await runRows(ctx.env.DATASETS, source, {}, {}, { pageSize: input.limit });
      return { id: source.id, columns: source.columns, rowCount: source.rowCount, rows };
    }),

  /** Deletes a source no product uses any more (a dataset's table goes with it). */
  delete: writeProcedure.input(z.object({ id: sourceId })).mutation(async ({ ctx, input }) => {
    const deps = dataDeps(ctx.env);
    // Ownership first: another company learns nothing, not even which products use it.
    const source = await getDataSource(deps, input.id, { companyId: ctx.caller.companyId });
    const users = await ctx.db
      .select({ id: products.id, name: products.name })
      .from(products)
      .where(eq(products.dataSourceId, source.id))
      .limit(6);
    if (users.length) {
      const names = users.slice(0, 5).map((p) => `"${p.name}" (${p.id})`).join(", ");
      throw new TesseraError(
        "CONFLICT",
        `${source.id} still backs ${users.length > 5 ? "more than 5 products" : users.length === 1 ? "a product" : `${users.length} products`}: ${names}. Move or delete them first.`,
      );
    }
    await removeDataSource(deps, source);
    return { id: source.id, deleted: true as const };
  }),
});
