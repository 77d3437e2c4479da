import { env } from "cloudflare:workers";
import { localStripe } from "../stripe-local/harness";
import { adminKey, client } from "./worker";

/** A signed-up company: its record, its first API key, and the typed client as that key. */
export interface Company {
  company: { id: string; name: string } & Record<string, unknown>;
  key: string;
  api: ReturnType<typeof client>;
}

/** A company signed up with the roles given (a buyer unless `buyer: false`). */
export async function company(opts: { name?: string; buyer?: boolean; seller?: boolean } = {}): Promise<Company> {
  const { company, apiKey } = await client().companies.signUp.mutate({
    name: opts.name ?? "Acme Analytics",
    isBuyer: opts.buyer ?? true,
    ...(opts.seller === undefined ? {} : { isSeller: opts.seller }),
  });
  return { company, key: apiKey.secret, api: client(apiKey.secret) };
}

/** A buying company holding `credits`, granted by an admin (none by default). */
export async function buyer(opts: { name?: string; credits?: number } = {}): Promise<Company> {
  const b = await company({ name: opts.name ?? "Buyer Co" });
  if (opts.credits) await client(await adminKey()).admin.grant.mutate({ companyId: b.company.id, credits: opts.credits, reason: "test funds" });
  return b;
}

export interface SellerOptions {
  name?: string;
  /**
   * Able to sell (list products, be paid). `true` (the default) marks it so
   * directly, as a finished Connect onboarding would; `false` leaves a seller
   * that has not onboarded.
   */
  verified?: boolean;
  /**
   * Onboard through Stripe Connect on the worker's own (local) Stripe instead:
   * onboarding is started, and finished when `verified`.
   */
  connect?: boolean;
  /** Also a buyer (sellers sign up as sellers only by default). */
  buyer?: boolean;
  billingEmail?: string;
}

/** A seller onboarded through Connect: its Stripe account and where onboarding continues. */
export type ConnectSeller = Company & { accountId: string; onboardingUrl: string | null };

/** The local Stripe platform the worker itself talks to (its STRIPE_SECRET_KEY). */
export const workerStripe = () => localStripe(env.STRIPE_SECRET_KEY);

/** A selling company (see `SellerOptions`). */
export async function seller<O extends SellerOptions>(opts?: O): Promise<O extends { connect: true } ? ConnectSeller : Company>;
export async function seller(opts: SellerOptions = {}): Promise<Company | ConnectSeller> {
  const verified = opts.verified ?? true;
  const s = await company({ name: opts.name ?? "Northwind Data", buyer: opts.buyer ?? false, seller: true });
  if (opts.billingEmail) await s.api.companies.update.mutate({ billingEmail: opts.billingEmail });
  if (!opts.connect) {
    if (verified) await env.DB.prepare("UPDATE companies SET can_sell = 1 WHERE id = ?").bind(s.company.id).run();
    return s;
  }
  const started = await s.api.connect.start.mutate();
  if (verified) {
    await workerStripe().control(`/accounts/${started.accountId}/onboarding`);
    await s.api.connect.refresh.mutate();
  }
  return { ...s, accountId: started.accountId!, onboardingUrl: started.onboardingUrl };
}
