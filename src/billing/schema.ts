import { z } from "zod";
import { creditsAmount } from "../schemas";
import { isOnDemandCredits, ON_DEMAND_CREDITS_RULE } from "./pricing";

/**
 * The billing procedures' inputs, apart from the router so the admin's forms
 * validate with the same schemas (pure zod: no worker imports here).
 */
export const catalogueId = z.string().trim().min(1).max(100);

/** Whole credits for an on-demand order or refill; a bad amount is INVALID_AMOUNT, on its field. */
export const onDemandCredits = z
  .number({ error: ON_DEMAND_CREDITS_RULE })
  .refine(isOnDemandCredits, { message: ON_DEMAND_CREDITS_RULE, params: { code: "INVALID_AMOUNT" } });

export const checkoutInput = z.object({
  kind: z.enum(["on_demand", "bundle", "plan"]),
  /** Whole credits, at least 10 (on_demand); the service refuses on_demand without it. */
  credits: onDemandCredits.optional(),
  bundle: catalogueId.optional(),
  plan: catalogueId.optional(),
});

export const autoRefillInput = z.object({
  enabled: z.boolean(),
  thresholdCredits: creditsAmount,
  refillCredits: onDemandCredits.optional(),
  refillBundle: catalogueId.optional(),
});

export const lowBalanceAlertInput = z.object({
  thresholdCredits: creditsAmount,
  webhookUrl: z.string().max(2000).nullable(),
  rotateSecret: z.boolean().optional(),
});
