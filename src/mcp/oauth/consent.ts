/**
 * `/oauth/authorize`: the consent page of Tessera's OAuth for MCP clients.
 * A person signed in to the admin (the `tessera_session` cookie) sees which
 * client asks, where its tokens will go, and chooses what it may do:
 * `read` (search, prices, balance, stored results) or `full` (also spend
 * the company's credits and start Checkouts). Approving makes the client's
 * own company key (clients.ts) and completes the authorization.
 *
 * The form is safe without the admin's CSRF header (a form can't send one):
 * the session cookie is SameSite=Lax, so a cross-site POST arrives without
 * it; the form's handle is bound to this browser by the provider's
 * `__Host-` cookie and works once; an Origin other than Tessera's is refused;
 * and the page can't be framed.
 */
import { AuthorizationError, CimdFetchError, type AuthRequest } from "@cloudflare/workers-oauth-provider";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { readSessionToken } from "../../members/cookies";
import { findSession } from "../../members/sessions";
import type { CapsInput } from "../../companies/caps";
import { randomToken } from "../../ids";
import { asCredits, parseDecimal, type Credits } from "../../money";
import { connectClient } from "./clients";
import { authorizationServer, issuer, OAUTH_SCOPES, type GrantProps } from "./provider";

export async function showConsent(c: Context<AppEnv>): Promise<Response> {
  try {
    const oauth = authorizationServer(c.env).getOAuthApi(c.env);
    const request = await oauth.parseAuthRequest(c.req.raw);
    const signedIn = await sessionOf(c);
    if (!signedIn) {
      const here = new URL(c.req.url);
      return c.redirect(`/app/sign-in?next=${encodeURIComponent(here.pathname + here.search)}`, 302);
    }
    const details = await oauth.describeConsent(request);
    const consent = await oauth.beginConsent(request);
    const nonce = randomToken(16);
    const headers = new Headers(consent.headers);
    headers.set("content-type", "text/html; charset=utf-8");
    headers.set("cache-control", "no-store");
    // After Allow or Deny the browser is sent on to the client: the form may lead there.
    headers.set(
      "content-security-policy",
      `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self' ${redirectOrigin(request)}; frame-ancestors 'none'; base-uri 'none'`,
    );
    const company = await c.var.services.db.query.companies.findFirst({ where: (t, { eq }) => eq(t.id, signedIn.member.companyId), columns: { name: true } });
    const html = consentPage({
      nonce,
      handle: consent.handle,
      clientName: details.clientName,
      clientDomain: details.clientDomain ?? null,
      redirectHost: details.redirectHost,
      loopback: details.redirectIsLoopback,
      requested: details.scope,
      person: signedIn.member.name,
      company: company?.name ?? signedIn.member.companyId,
    });
    return new Response(html, { status: 200, headers });
  } catch (error) {
    return authorizationFailure(error);
  }
}

export async function answerConsent(c: Context<AppEnv>): Promise<Response> {
  try {
    const origin = c.req.header("origin");
    if (origin && origin !== issuer(c.env)) return plain(403, "This form can only be sent from Tessera's own page.");
    const signedIn = await sessionOf(c);
    if (!signedIn) return plain(401, "Your session has ended; sign in to Tessera again and restart the connection from your MCP client.");
    const form = await c.req.formData();
    const handle = String(form.get("handle") ?? "");
    const oauth = authorizationServer(c.env).getOAuthApi(c.env);
    if (form.get("decision") !== "approve") {
      const denied = await oauth.denyConsent(c.req.raw, handle);
      return new Response(null, { status: 302, headers: denied.headers });
    }
    const scope = String(form.get("scope") ?? "");
    if (!(OAUTH_SCOPES as readonly string[]).includes(scope)) return plain(400, "Choose what the client may do: read, or full.");
    const caps = capsOf(form);
    if (caps === "invalid") return plain(400, "Spending caps are whole or decimal credits, at least 0.000001, or empty for none.");
    const approved = await oauth.approveConsent(c.req.raw, handle, { scope: [scope] });
    const details = await oauth.describeConsent(approved.request);
    const grant = await connectClient(c.var.services, signedIn.member, scope as GrantProps["scope"], {
      oauthClientId: approved.request.clientId,
      clientName: details.clientName,
      redirectHost: details.redirectHost,
    }, caps);
    const props: GrantProps = { keyId: grant.keyId, companyId: grant.companyId, scope: grant.scope };
    const { redirectTo } = await oauth.completeAuthorization({
      request: approved.request,
      userId: signedIn.member.id,
      metadata: { keyId: grant.keyId, companyId: grant.companyId, mcpClientId: grant.mcpClientId },
      scope: [scope],
      props,
    });
    approved.headers.set("location", redirectTo);
    return new Response(null, { status: 302, headers: approved.headers });
  } catch (error) {
    return authorizationFailure(error);
  }
}

/** The caps typed on the page (credits per day, per month), or null for none. */
function capsOf(form: FormData): CapsInput | null | "invalid" {
  const parse = (name: string): Credits | null | "invalid" => {
    const text = String(form.get(name) ?? "").trim();
    if (!text) return null;
    const micro = parseDecimal(text);
    return micro === null || micro <= 0 ? "invalid" : asCredits(micro);
  };
  const perDay = parse("cap_day");
  const perMonth = parse("cap_month");
  if (perDay === "invalid" || perMonth === "invalid") return "invalid";
  return perDay === null && perMonth === null ? null : { perDay, perMonth, total: null };
}

/** The signed-in person, from the admin's session cookie. */
async function sessionOf(c: Context<AppEnv>) {
  const token = readSessionToken(c.req.header("cookie"));
  return token ? await findSession(c.var.services.db, token) : undefined;
}

function redirectOrigin(request: AuthRequest): string {
  try {
    return new URL(request.redirectUri).origin;
  } catch {
    return "";
  }
}

/** A redirect back to the client only once it and its redirect URI are validated; otherwise the error is shown here. */
function authorizationFailure(error: unknown): Response {
  if (error instanceof AuthorizationError && error.redirectTo) return Response.redirect(error.redirectTo, 302);
  if (error instanceof AuthorizationError) return plain(400, error.description);
  if (error instanceof CimdFetchError) return plain(400, "This app could not be verified.");
  throw error;
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

interface Page {
  nonce: string;
  handle: string;
  clientName: string;
  clientDomain: string | null;
  redirectHost: string;
  loopback: boolean;
  requested: string[];
  person: string;
  company: string;
}

function consentPage(p: Page): string {
  const name = escape(p.clientName);
  const full = p.requested.includes("full");
  const origin = p.clientDomain ? `Published by <strong>${escape(p.clientDomain)}</strong>.` : "This app registered itself; its name is not verified.";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connect ${name} to Tessera</title>
<style nonce="${p.nonce}">
body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
.box{border:1px solid #d5d9e2;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
.warn{background:#fff6e0;border-color:#e8c46a}label{display:block;margin:.5rem 0}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #8a93a6;background:#fff;margin-right:.5rem}
button[value=approve]{background:#1f4fd1;color:#fff;border-color:#1f4fd1}small{color:#5b6477}
</style></head><body>
<h1>Connect ${name}?</h1>
<p>${origin} Its access will be sent to <strong>${escape(p.redirectHost)}</strong>.</p>
${p.loopback ? '<p class="box warn"><strong>This sends access to an app on this computer.</strong> Continue only if you just started connecting from it.</p>' : ""}
<p>You are signed in as <strong>${escape(p.person)}</strong> of <strong>${escape(p.company)}</strong>. The app gets a key of its own for ${escape(p.company)}; a company admin can disconnect it at any time.</p>
<form method="post" class="box">
<input type="hidden" name="handle" value="${escape(p.handle)}">
<label><input type="radio" name="scope" value="read"${full ? "" : " checked"}> <strong>Read</strong> <small>search products, see prices, the balance and stored results</small></label>
<label><input type="radio" name="scope" value="full"${full ? " checked" : ""}> <strong>Full</strong> <small>also spend the company's credits on endpoint pages and asset runs, and start Checkouts for a person to pay</small></label>
<p><small>Spending cap for this app, in credits (empty: none). A company admin can change it later.</small><br>
<label>per day <input name="cap_day" inputmode="decimal" size="8"></label><label>per month <input name="cap_month" inputmode="decimal" size="8"></label></p>
<p><button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></p>
</form>
</body></html>`;
}
