import { z } from "zod";
import { hasScope, requireScope } from "../auth/authenticate";
import { fieldError } from "../errors";
import { keyMakerOf } from "../members/caller";
import { listCursor, listInput, mapPage, paged, timeAndId } from "../paging";
import { companyProcedure, publicProcedure, router, writeProcedure } from "../trpc/trpc";
import { keysUsage, setKeyCaps } from "./caps";
import { companyName, createKeyInput, keyId, setCapsInput, updateCompanyInput } from "./schema";
import { createKey, getCompany, listKeys, revokeKey, signUp, updateCompany, type Company } from "./service";

const email = z.email().max(200);

export function companyView(company: Company) {
  return {
    id: company.id,
    name: company.name,
    isBuyer: company.isBuyer,
    isSeller: company.isSeller,
    billingEmail: company.billingEmail,
    canSell: company.canSell,
    createdAt: company.createdAt,
  };
}

export const companiesRouter = router({
  /** Creates a company and its first API key; the key's secret is shown only here. */
  signUp: publicProcedure
    .input(
      z.object({
        name: companyName,
        isBuyer: z.boolean().default(true),
        isSeller: z.boolean().default(false),
        billingEmail: email.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { company, apiKey } = await signUp(ctx.db, input, ctx.env.KEY_SECRET);
      return { company: companyView(company), apiKey };
    }),

  me: companyProcedure.query(async ({ ctx }) => companyView(await getCompany(ctx.db, ctx.caller.companyId))),

  update: writeProcedure
    .input(updateCompanyInput)
    .mutation(async ({ ctx, input }) => companyView(await updateCompany(ctx.db, ctx.caller.companyId, input))),
});

const keyCursor = listCursor("keys", timeAndId);

/**
 * Company API keys. A key never has more power than whoever makes it, and a
 * key made by a person is theirs: removing them revokes it (src/members/README.md).
 */
export const keysRouter = router({
  /** The company's API keys, each with what it spent and its spending caps. */
  list: companyProcedure.input(listInput({}, 50, 100)).query(async ({ ctx, input }) => {
    const page = await paged(input, keyCursor, (after, limit) => listKeys(ctx.db, ctx.caller.companyId, { limit, after }), (k) => [k.createdAt, k.id] as [number, string]);
    return mapPage(page, async (keys) => {
      const usage = await keysUsage(ctx, ctx.caller.companyId, keys.map((k) => k.id));
      return keys.map((k) => ({ ...k, usage: usage.get(k.id)! }));
    });
  }),

  /**
   * Caps what one of the company's keys (an API key or an endpoint key) may
   * spend: credits per UTC day, per month, in total (null: no cap). Company
   * admins only. Applies from the next call.
   */
  setCaps: writeProcedure
    .input(setCapsInput)
    .mutation(({ ctx, input }) => {
      requireScope(ctx.caller, "company_admin", "Only a company admin sets spending caps.");
      return setKeyCaps(ctx, ctx.caller.companyId, input.keyId, {
        perDay: input.perDayCredits ?? null,
        perMonth: input.perMonthCredits ?? null,
        total: input.totalCredits ?? null,
      });
    }),

  create: writeProcedure
    .input(createKeyInput)
    .mutation(({ ctx, input }) => {
      if (!hasScope(ctx.caller, input.scope)) throw fieldError("FORBIDDEN", "scope", `A key can't have more power than whoever makes it: only a company admin makes ${input.scope} keys.`);
      return createKey(ctx.db, ctx.caller.companyId, input.name, input.scope, keyMakerOf(ctx.caller), ctx.env.KEY_SECRET);
    }),

  revoke: writeProcedure
    .input(z.object({ id: keyId }))
    .mutation(async ({ ctx, input }) => {
      await revokeKey(ctx, ctx.caller, input.id);
      return { id: input.id, revoked: true };
    }),
});
