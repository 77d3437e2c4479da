import { z } from "zod";
import { creditsAmount, operationId } from "../schemas";

/**
 * The platform admin's money inputs, apart from the router so the admin's
 * forms validate with the same schemas (pure zod: no worker imports here).
 */
export const reason = z.string().trim().min(3).max(500);
export const companyId = z.string().min(1).max(100);

/** A grant: credits, a reason, and optionally when they lapse (then it is an allocation). */
export const grantInput = z.object({
  companyId,
  credits: creditsAmount,
  reason,
  expiresAt: z.number().int().positive().optional(),
  id: operationId.optional(),
});

/** An adjustment: credits taken away, with a reason. */
export const adjustInput = z.object({ companyId, credits: creditsAmount, reason, id: operationId.optional() });
