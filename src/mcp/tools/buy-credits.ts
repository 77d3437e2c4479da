import { z } from "zod";
import { startCheckout } from "../../billing/checkout";
import { ok } from "../results";
import { tool } from "../tool";

export const buyCredits = tool({
  name: "buy_credits",
  title: "Buy credits (Checkout link)",
  description:
    "Starts a Stripe Checkout for credits and returns its URL for a person to open and pay; an agent cannot pay by itself. " +
    "Credits land once Stripe confirms the payment (check with get_balance). Choose `on_demand` with `credits` (whole credits, at least 10), " +
    "a `bundle` (e.g. starter) or a monthly or annual `plan` (e.g. startup_monthly); the catalogue with prices is GET /trpc/billing.catalogue.",
  input: z
    .object({
      kind: z.enum(["on_demand", "bundle", "plan"]),
      credits: z.number().optional().describe("on_demand: how many credits."),
      bundle: z.string().trim().min(1).max(100).optional().describe("bundle: its id from the catalogue."),
      plan: z.string().trim().min(1).max(100).optional().describe("plan: its id from the catalogue."),
    })
    .strict(),
  scope: "full",
  readOnly: false,
  metered: false,
  async run(ctx, input) {
    const { url, orderId } = await startCheckout(ctx.s, ctx.caller.companyId, input);
    return ok({ checkoutUrl: url, orderId, note: "Nothing is charged until a person pays at checkoutUrl; the credits then land in the company's balance." });
  },
});
