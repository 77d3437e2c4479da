import { TesseraError } from "../errors";
import { companyProcedure, publicProcedure, type Context } from "../trpc/trpc";
import { requireScope } from "../auth/authenticate";
import type { SessionCaller } from "./caller";
import { clearedSessionCookie, sessionCookie } from "./cookies";
import { CSRF_HEADER, hasCsrfHeader } from "./csrf";

function requestOf(ctx: Context): Request {
  if (!ctx.req) throw new TesseraError("UNAUTHORIZED", "Sign in first.");
  return ctx.req;
}

/**
 * Procedures that start a session (sign-up, sign-in, accepting an invitation)
 * need the CSRF header too, so another site can't sign a browser in to an
 * account of its choosing.
 */
export const browserProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!hasCsrfHeader(requestOf(ctx).headers)) {
    throw new TesseraError("FORBIDDEN", `Send the ${CSRF_HEADER}: 1 header with sign-in requests.`);
  }
  return next();
});

/**
 * Who may manage a company's people: a caller with the `company_admin` scope,
 * that is a signed-in admin of the company or a company admin key (the
 * sign-up key is one: the way a company made through the API gets its first
 * person). A member, a full or read-only key, and a platform admin key may not.
 * `member` is null for a key.
 */
export const memberAdminProcedure = companyProcedure.use(({ ctx, next }) => {
  requireScope(ctx.caller, "company_admin", "Only a company admin, or a company admin key, can manage members.");
  const member = "member" in ctx.caller ? (ctx.caller as SessionCaller).member : null;
  return next({ ctx: { member } });
});

export function setSessionCookie(ctx: Context, token: string): void {
  ctx.resHeaders?.append("set-cookie", sessionCookie(token, requestOf(ctx).url));
}

export function clearSessionCookie(ctx: Context): void {
  ctx.resHeaders?.append("set-cookie", clearedSessionCookie(requestOf(ctx).url));
}
