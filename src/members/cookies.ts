/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent
 * on cross-site POSTs), Secure everywhere except plain http on this machine
 * (the local demo at http://127.0.0.1), Path=/.
 */
export const SESSION_COOKIE = "tessera_session";
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function secureFor(requestUrl: string): boolean {
  const url = new URL(requestUrl);
  return !(url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname));
}

export function sessionCookie(token: string, requestUrl: string): string {
  const attributes = [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${SESSION_TTL_MS / 1000}`];
  if (secureFor(requestUrl)) attributes.push("Secure");
  return attributes.join("; ");
}

export function clearedSessionCookie(requestUrl: string): string {
  const attributes = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (secureFor(requestUrl)) attributes.push("Secure");
  return attributes.join("; ");
}

/** The session token the browser sent, if any. */
export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
