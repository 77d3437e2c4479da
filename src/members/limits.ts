import { TesseraError } from "../errors";

/** Where a request comes from, as Cloudflare's edge sets it (the client can't). */
export function clientAddress(request: Request | undefined): string {
  // Only requests that skip the edge lack it (the test harness calling the
  // worker directly); they share one count.
  return request?.headers.get("cf-connecting-ip") ?? "unknown";
}

/**
 * Counts a sign-in attempt per client address (SIGN_IN_CLIENT_LIMIT) and per
 * e-mail (SIGN_IN_LIMIT), and answers RATE_LIMITED past either, before any
 * password is checked. The client is counted first, so one client spraying
 * e-mails is stopped without touching their counts.
 */
export async function limitSignIn(env: Env, request: Request | undefined, email: string): Promise<void> {
  if (!(await env.SIGN_IN_CLIENT_LIMIT.limit({ key: clientAddress(request) })).success) {
    throw new TesseraError("RATE_LIMITED", "Too many sign-in attempts from your network. Wait a minute and try again.");
  }
  if (!(await env.SIGN_IN_LIMIT.limit({ key: email })).success) {
    throw new TesseraError("RATE_LIMITED", "Too many sign-in attempts for this e-mail. Wait a minute and try again.");
  }
}
