import { TesseraError } from "../errors";
import type { Context } from "../trpc/trpc";
import { clearedSessionCookie, sessionCookie } from "./cookies";

function requestOf(ctx: Context): Request {
  if (!ctx.req) throw new TesseraError("UNAUTHORIZED", "Sign in first.");
  return ctx.req;
}

export function setSessionCookie(ctx: Context, token: string): void {
  ctx.resHeaders?.append("set-cookie", sessionCookie(token, requestOf(ctx).url));
}

export function clearSessionCookie(ctx: Context): void {
  ctx.resHeaders?.append("set-cookie", clearedSessionCookie(requestOf(ctx).url));
}
