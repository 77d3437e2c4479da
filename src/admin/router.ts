import { z } from "zod";
import { timingSafeEqual } from "../crypto";
import { companyView } from "../companies/router";
import { createKey, ensurePlatformCompany, getCompany, listCompanies } from "../companies/service";
import { TesseraError } from "../errors";
import { newId } from "../ids";
import { currentRate } from "../rates";
import { creditsAmount, operationId } from "../schemas";
import { adminProcedure, publicProcedure, router } from "../trpc/trpc";
import { balanceView, entryView } from "../credits/service";
import { resealSecrets } from "./reseal";

const reason = z.string().trim().min(3).max(500);

export const adminRouter = router({
  /** Mints a platform admin key for whoever holds the ADMIN_TOKEN secret. */
  bootstrap: publicProcedure
    .input(z.object({ token: z.string().min(1).max(500), name: z.string().trim().min(1).max(100).default("Admin") }))
    .mutation(async ({ ctx, input }) => {
      if (!ctx.env.ADMIN_TOKEN || !timingSafeEqual(input.token, ctx.env.ADMIN_TOKEN)) {
        throw new TesseraError("FORBIDDEN", "That is not the admin token.");
      }
      await ensurePlatformCompany(ctx.db);
      return createKey(ctx.db, "platform", input.name, "admin", null, ctx.env.KEY_SECRET);
    }),

  companies: router({
    list: adminProcedure
      .input(z.object({ limit: z.number().int().min(1).max(200).default(50), offset: z.number().int().min(0).default(0) }))
      .query(async ({ ctx, input }) => (await listCompanies(ctx.db, input)).map(companyView)),

    get: adminProcedure.input(z.object({ id: z.string().min(1).max(100) })).query(async ({ ctx, input }) => {
      const company = await getCompany(ctx.db, input.id);
      const [balance, rate] = await Promise.all([ctx.wallet(company.id).balance(), currentRate(ctx.db)]);
      return { ...companyView(company), credits: balanceView(balance, rate) };
    }),
  }),

  /** Gives a company credits, with a reason. An expiry makes it an allocation that lapses. */
  grant: adminProcedure
    .input(
      z.object({
        companyId: z.string().min(1).max(100),
        credits: creditsAmount,
        reason,
        expiresAt: z.number().int().positive().optional(),
        id: operationId.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const company = await getCompany(ctx.db, input.companyId);
      const rate = await currentRate(ctx.db);
      const entry = await ctx.wallet(company.id).deposit({
        id: input.id ?? newId("grant"),
        kind: input.expiresAt === undefined ? "grant" : "allocation",
        credits: input.credits,
        expiresAt: input.expiresAt,
        reason: input.reason,
        usdPerCredit: rate.usdPerCredit,
      });
      return entryView(entry);
    }),

  /** Takes credits away from a company, with a reason. Never below zero available. */
  adjust: adminProcedure
    .input(z.object({ companyId: z.string().min(1).max(100), credits: creditsAmount, reason, id: operationId.optional() }))
    .mutation(async ({ ctx, input }) => {
      const company = await getCompany(ctx.db, input.companyId);
      const rate = await currentRate(ctx.db);
      const entry = await ctx.wallet(company.id).adjust({
        id: input.id ?? newId("adj"),
        credits: input.credits,
        reason: input.reason,
        usdPerCredit: rate.usdPerCredit,
      });
      return entryView(entry);
    }),

  /**
   * Seals the stored secrets not yet sealed with SECRETS_KEYS' current key:
   * once after upgrading from plaintext, and after each key rotation
   * (src/data/origins/README.md).
   */
  resealSecrets: adminProcedure.mutation(({ ctx }) => resealSecrets(ctx.db, ctx.env)),
});
