import { TesseraError } from "../errors";
import { publicProcedure, type Context } from "../trpc/trpc";
import { requireScope } from "../auth/authenticate";
import { callerOf } from "./caller";
import { clearedSessionCookie, sessionCookie } from "./cookies";
import { CSRF_HEADER, hasCsrfHeader } from "./csrf";
import type { Member } from "./sessions";

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
 * Who may manage a company's people: a signed-in admin of the company, or a
 * full-scope company API key (the way a company made through the API gets
 * its first person: it invites them). `member` is null for a key.
 */
export const memberAdminProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const caller = await callerOf(ctx.db, ctx.req, ctx.apiKey);
  if ("member" in caller) {
    if (caller.member.role !== "admin") throw new TesseraError("FORBIDDEN", "Only a company admin can manage members.");
    return next({ ctx: { caller, member: caller.member as Member | null } });
  }
  requireScope(caller, "full");
  if (caller.scope === "admin") throw new TesseraError("FORBIDDEN", "Platform admin keys don't manage a company's members.");
  return next({ ctx: { caller, member: null as Member | null } });
});

export function setSessionCookie(ctx: Context, token: string): void {
  ctx.resHeaders?.append("set-cookie", sessionCookie(token, requestOf(ctx).url));
}

export function clearSessionCookie(ctx: Context): void {
  ctx.resHeaders?.append("set-cookie", clearedSessionCookie(requestOf(ctx).url));
}
