import { z } from "zod";
import { timingSafeEqual } from "../crypto";
import { createKey, ensurePlatformCompany, getCompany, PLATFORM_COMPANY_ID } from "../companies/service";
import { invite } from "../members/service";
import { TesseraError } from "../errors";
import { newId } from "../ids";
import { currentRate } from "../rates";
import { adminProcedure, publicProcedure, router } from "../trpc/trpc";
import { entryView } from "../credits/service";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { PERIOD_KEY } from "../payouts/period";
import { companyDetail, searchCompanies, withBalances } from "./companies";
import { adminEntries } from "./ledger";
import { monthPayouts, payoutFilter } from "./payouts";
import { resealSecrets } from "./reseal";
import { adjustInput, companyId, grantInput } from "./schema";


const companyCursor = listCursor("admin_companies", timeAndId);
const entryCursor = listCursor("admin_entries", timeAndId);
const payoutCursor = listCursor("admin_payouts", timeAndId);

export const companySearchInput = listInput({ query: z.string().trim().max(100).optional(), role: z.enum(["buyer", "seller"]).optional() }, 25, 100);

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
    /** Companies by name or id, buyers or sellers, newest first, each with its balance and standing. */
    list: adminProcedure.input(companySearchInput).query(async ({ ctx, input }) => {
      const page = await paged(input, companyCursor, (after, limit) => searchCompanies(ctx.db, input, { limit, after }), (c) => [c.createdAt, c.id] as [number, string]);
      return mapPage(page, (items) => withBalances(ctx, items));
    }),

    /** One company: its credits and, for a seller, its earnings and next payout. */
    get: adminProcedure.input(z.object({ id: companyId })).query(({ ctx, input }) => companyDetail(ctx, input.id)),
  }),

  /** Grants and adjustments made by admins, newest first, with their reasons. */
  entries: adminProcedure.input(listInput({ companyId: companyId.optional() }, 25, 100)).query(({ ctx, input }) =>
    paged(input, entryCursor, (after, limit) => adminEntries(ctx.db, input, { limit, after }), (e) => [e.createdAt, e.id] as [number, string]),
  ),

  /** Every seller's payouts, of one month or all, by status (sending shows as pending), newest first. */
  payouts: adminProcedure
    .input(listInput({ month: z.string().regex(PERIOD_KEY, "A month as YYYY-MM.").optional(), status: z.enum(payoutFilter).optional() }, 25, 100))
    .query(({ ctx, input }) =>
      paged(input, payoutCursor, (after, limit) => monthPayouts(ctx.db, input, { limit, after }), (p) => [p.createdAt, p.id] as [number, string]),
    ),

  /** Gives a company credits, with a reason. An expiry makes it an allocation that lapses. */
  grant: adminProcedure
    .input(grantInput)
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
    .input(adjustInput)
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
   * Invites a person to Tessera's own staff: an admin of the platform company,
   * who signs in to the admin as a platform admin (src/members/caller.ts).
   * The token is shown once, for the invitation link.
   */
  inviteStaff: adminProcedure.input(z.object({ email: z.email().max(200) })).mutation(async ({ ctx, input }) => {
    await ensurePlatformCompany(ctx.db);
    return invite(ctx.db, { companyId: PLATFORM_COMPANY_ID, by: ctx.caller.keyId }, { email: input.email, role: "admin" });
  }),

  /**
   * Seals the stored secrets not yet sealed with SECRETS_KEYS' current key:
   * once after upgrading from plaintext, and after each key rotation
   * (src/data/origins/README.md).
   */
  resealSecrets: adminProcedure.mutation(({ ctx }) => resealSecrets(ctx.db, ctx.env)),
});
