import { z } from "zod";
import type { MemberRole } from "../db/schema";

/**
 * The members procedures' inputs, apart from the router so the admin's forms
 * validate with the same schemas (pure zod: no worker imports here).
 */
export const email = z.email().max(200);
// The upper bound keeps a hash request cheap; the lower one is checked in the service (strength.ts, with its message).
export const password = z.string().min(1).max(200);
export const personName = z.string().trim().min(1).max(100);
export const inviteToken = z.string().min(10).max(200);

export const signUpInput = z.object({
  companyName: z.string().trim().min(2).max(100),
  isBuyer: z.boolean().default(true),
  isSeller: z.boolean().default(false),
  billingEmail: email.optional(),
  name: personName,
  email,
  password,
});

export const signInInput = z.object({ email, password });

export const acceptInviteInput = z.object({ token: inviteToken, name: personName, password });

// The roles as a literal (the D1 column's list lives with drizzle, which the admin mustn't import); `satisfies` keeps them the column's.
const memberRoles = ["member", "admin"] as const satisfies readonly MemberRole[];

export const inviteInput = z.object({ email, role: z.enum(memberRoles).default("member") });
