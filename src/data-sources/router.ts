import { z } from "zod";
import { createOrigin, getDataSource, listDataSources, runRows } from "../data";
import { TesseraError } from "../errors";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { companyProcedure, router, sellerProcedure, writeProcedure } from "../trpc/trpc";
import { deleteOwnSource } from "./delete";
import { createOriginInput } from "./schema";
import { dataDeps, sourceView } from "./seller";

const sourceId = z.string().trim().min(1).max(100);
const sourceCursor = listCursor("data_sources", timeAndId);

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
  /** The seller's sources, newest first. */
  list: companyProcedure.input(listInput({}, 50, 100)).query(async ({ ctx, input }) => {
    const deps = dataDeps(ctx);
    const page = await paged(input, sourceCursor, (after, limit) => listDataSources(deps, ctx.caller.companyId, { limit, after }), (s) => [s.createdAt, s.id] as [number, string]);
    return mapPage(page, (items) => Promise.all(items.map((s) => sourceView(deps, s))));
  }),

  /** One source; an upload still running shows its progress (`upload`). */
  get: companyProcedure.input(z.object({ id: sourceId })).query(async ({ ctx, input }) => {
    const deps = dataDeps(ctx);
    return sourceView(deps, await getDataSource(deps, input.id, { companyId: ctx.caller.companyId }));
  }),

  /** Registers an HTTPS origin; the answer is the only place its signing secret ever appears. */
  createOrigin: sellerProcedure
    .input(createOriginInput)
    .mutation(async ({ ctx, input }) => {
      const { source, signingSecret } = await createOrigin(
        { database: ctx.env.DB, secrets: ctx.env },
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
      const source = await getDataSource(dataDeps(ctx), input.id, { companyId: ctx.caller.companyId });
      if (source.kind !== "dataset") {
        throw new TesseraError("BAD_REQUEST", `${source.id} is an HTTP origin; only hosted datasets have stored rows to preview.`);
      }
      // Straight from the dataset's object: the seller's own preview is never served from the page cache.
      const { rows } = await runRows({ datasets: ctx.env.DATASET, cursorSecret: ctx.env.CURSOR_SECRET }, source, {}, {}, { pageSize: input.limit });
      return { id: source.id, columns: source.columns, rowCount: source.rowCount, rows };
    }),

  /** Deletes a source no product uses any more (a dataset's rows go with it), or stops an upload still running. */
  delete: writeProcedure
    .input(z.object({ id: sourceId }))
    .mutation(({ ctx, input }) => deleteOwnSource(ctx, ctx.caller.companyId, input.id)),
});
