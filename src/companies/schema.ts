import { z } from "zod";
import type { KeyScope } from "../db/schema";
import { creditsAmount } from "../schemas";

/**
 * The keys procedures' inputs, apart from the router so the admin's forms
 * validate with the same schemas (pure zod: no worker imports here).
 */

/** The scopes a company key can have (`admin` keys come only from `admin.bootstrap`); a literal, since the D1 column's list lives with drizzle. */
const companyKeyScopes = ["read", "full", "company_admin"] as const satisfies readonly KeyScope[];

export const companyName = z.string().trim().min(2).max(100);
const billingEmail = z.email().max(200);

/** A company's profile as its admins edit it; an empty billing e-mail clears it. */
export const updateCompanyInput = z.object({
  name: companyName.optional(),
  billingEmail: z.union([z.literal("").transform(() => null), billingEmail]).nullable().optional(),
  isBuyer: z.boolean().optional(),
  isSeller: z.boolean().optional(),
});

export const keyId = z.string().min(1).max(100);

export const createKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(companyKeyScopes).default("full"),
});

/** A cap in credits (more than 0), or null for none. */
const cap = creditsAmount.nullable().optional();

export const setCapsInput = z.object({ keyId, perDayCredits: cap, perMonthCredits: cap, totalCredits: cap });
