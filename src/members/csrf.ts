/**
 * CSRF defence for cookie sessions: a request counts as the signed-in browser
 * only when it carries `x-tessera-csrf: 1`. A page on another site can't add a
 * custom header to a cross-site request without a CORS preflight, and Tessera
 * answers no preflight, so a forged form post or fetch arrives without it (and,
 * with SameSite=Lax, mostly without the cookie too). API keys need no such
 * header: they are never sent by a browser on its own.
 */
export const CSRF_HEADER = "x-tessera-csrf";

export function hasCsrfHeader(headers: Headers): boolean {
  return headers.get(CSRF_HEADER) === "1";
}
