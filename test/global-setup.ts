/**
 * Runs once in Node before the suites: starts the local Stripe server
 * (scripts/stripe-local) on the port vitest.config.ts picked for this run and
 * bound as STRIPE_API_BASE, signing webhooks with the STRIPE_WEBHOOK_SECRET
 * the tests bind. Tests in workerd reach it over HTTP; they have no inbound
 * port, so they pull webhook deliveries from /_local/deliveries.
 */
const webhookSecret = "whsec_local";

// The server is Node code with its own tsconfig; a static import would pull
// Node's types into the worker's type-check.
const serverModule = "../scripts/stripe-local/server.ts";

interface StripeLocal {
  url: string;
  close(): Promise<void>;
}

export default async function setup(): Promise<() => Promise<void>> {
  const port = Number(process.env.STRIPE_LOCAL_PORT ?? 12111);
  const { startStripeLocal } = (await import(/* @vite-ignore */ serverModule)) as {
    startStripeLocal(options: { port: number; webhookSecret: string }): Promise<StripeLocal>;
  };
  const server = await startStripeLocal({ port, webhookSecret });
  return () => server.close();
}
