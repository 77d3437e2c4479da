import { now } from "./clock.ts";
import { StripeFailure } from "./errors.ts";
import { escapeHtml, formatAmount, page } from "./html.ts";
import type { OnboardingLink, Platform, World } from "./platform.ts";
import { completeOnboarding } from "./resources/accounts.ts";
import { completeCheckout } from "./resources/checkout-completion.ts";
import { local, Reply } from "./router.ts";
import type { CheckoutSessionWire } from "./types.ts";

/**
 * The pages Stripe hosts, in miniature, so the local demo can buy credits and
 * onboard a seller in a browser with no Stripe account.
 */
function sessionPage(platform: Platform, session: CheckoutSessionWire, error?: string): string {
  const items = platform.checkoutLineItems.get(session.id) ?? [];
  const rows = items
    .map((item) => `<tr><td>${escapeHtml(item.description ?? "Item")} × ${item.quantity}</td><td>${formatAmount(item.amount_total, item.currency)}</td></tr>`)
    .join("");
  const total = session.amount_total !== null ? `<tr><td><b>Total</b></td><td><b>${formatAmount(session.amount_total, session.currency ?? "usd")}</b></td></tr>` : "";
  const action = session.mode === "setup" ? "Save card" : session.mode === "subscription" ? "Subscribe" : "Pay";
  const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">← Cancel and go back</a></p>` : "";
  if (session.status !== "open") {
    return page("Checkout", `<h1>This checkout is ${escapeHtml(session.status ?? "closed")}</h1>`);
  }
  return page(
    "Checkout",
    `<h1>${action}</h1>
<table>${rows}${total}</table>
<p class="muted">Card: 4242 4242 4242 4242 (test)</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/checkout/${encodeURIComponent(session.id)}/pay"><button type="submit">${action}</button></form>
<form method="post" action="/checkout/${encodeURIComponent(session.id)}/pay" style="margin-top:.5rem">
  <input type="hidden" name="card" value="fail"><button type="submit" style="background:#697386">Try a declined card</button>
</form>
${cancel}`,
  );
}

function findSession(world: World, id: string): { platform: Platform; session: CheckoutSessionWire } | undefined {
  const platform = world.owner(id);
  const session = platform?.checkoutSessions.get(id);
  return platform && session ? { platform, session } : undefined;
}

function findLink(world: World, token: string): { platform: Platform; link: OnboardingLink } | undefined {
  for (const platform of world.platforms.values()) {
    const link = platform.onboardingLinks.get(token);
    if (link) return { platform, link };
  }
  return undefined;
}

const notFound = () => Reply.html(404, page("Not found", "<h1>Not found</h1><p>This link does not exist on this server.</p>"));

export const pageRoutes = [
  local("GET", "/checkout/:id", ({ world, params }) => {
    const found = findSession(world, params.id!);
    return found ? Reply.html(200, sessionPage(found.platform, found.session)) : notFound();
  }),
  local("POST", "/checkout/:id/pay", ({ world, params, body }) => {
    const found = findSession(world, params.id!);
    if (!found) return notFound();
    try {
      const session = completeCheckout(found.platform, found.session.id, { decline: body.card === "fail" });
      if (session.success_url) return Reply.redirect(session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id));
      return Reply.html(200, page("Done", "<h1>Thank you</h1><p>Your payment is complete. You can close this page.</p>"));
    } catch (error) {
      if (!(error instanceof StripeFailure)) throw error;
      return Reply.html(error.status, sessionPage(found.platform, found.session, error.body.message));
    }
  }),
  local("GET", "/connect/onboarding/:token", ({ world, params }) => {
    const found = findLink(world, params.token!);
    if (!found) return notFound();
    const { link } = found;
    if (link.used || link.expiresAt < now()) return Reply.redirect(link.refreshUrl);
    return Reply.html(
      200,
      page(
        "Connect onboarding",
        `<h1>Set up payouts</h1>
<p>Account <code>${escapeHtml(link.account)}</code> · test bank account 000123456789</p>
<form method="post"><button type="submit">Agree and submit</button></form>`,
      ),
    );
  }),
  local("POST", "/connect/onboarding/:token", ({ world, params }) => {
    const found = findLink(world, params.token!);
    if (!found) return notFound();
    const { platform, link } = found;
    // Account Links are single-use and short-lived, as Stripe's are.
    if (link.used || link.expiresAt < now()) return Reply.redirect(link.refreshUrl);
    link.used = true;
    completeOnboarding(platform, link.account);
    return Reply.redirect(link.returnUrl);
  }),
  local("GET", "/invoices/:id", ({ world, params }) => {
    const platform = world.owner(params.id!);
    const invoice = platform?.invoices.get(params.id!);
    if (!invoice) return notFound();
    const rows = invoice.lines.data
      .map((line) => `<tr><td>${escapeHtml(line.description ?? "")}</td><td>${formatAmount(line.amount, line.currency)}</td></tr>`)
      .join("");
    return Reply.html(
      200,
      page(
        "Invoice",
        `<h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1><p>Status: ${escapeHtml(invoice.status ?? "")}</p>
<table>${rows}<tr><td><b>Amount due</b></td><td><b>${formatAmount(invoice.amount_due, invoice.currency)}</b></td></tr></table>`,
      ),
    );
  }),
];
