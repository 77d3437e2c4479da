import { env } from "cloudflare:workers";
import { signUp } from "../harness";
import { localStripe } from "../stripe-local/harness";

/** The local Stripe platform the worker itself talks to (its STRIPE_SECRET_KEY). */
export const workerStripe = () => localStripe(env.STRIPE_SECRET_KEY);

/** A seller company that started Connect onboarding but has not finished it. */
export async function onboardingSeller(name = "Fjord Metrics", billingEmail?: string) {
  const s = await signUp(name, { isSeller: true });
  if (billingEmail) await s.api.companies.update.mutate({ billingEmail });
  const started = await s.api.connect.start.mutate();
  return { ...s, accountId: started.accountId!, onboardingUrl: started.onboardingUrl };
}

/** A seller whose Stripe account Stripe reports complete with payouts enabled. */
export async function verifiedSeller(name = "Fjord Metrics", billingEmail?: string) {
  const s = await onboardingSeller(name, billingEmail);
  await workerStripe().control(`/accounts/${s.accountId}/onboarding`);
  await s.api.connect.refresh.mutate();
  return s;
}
