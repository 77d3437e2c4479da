import { TesseraError, type ErrorCode } from "../../errors";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * An origin must be HTTPS. Plain HTTP is allowed only to this machine and
 * only when `allowInsecureOrigins` is set (tests, local dev). Credentials in
 * the URL are refused: the signature is how an origin knows it's us.
 */
export function checkOriginUrl(raw: string, opts: { allowInsecureOrigins?: boolean } = {}, code: ErrorCode = "BAD_REQUEST"): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TesseraError(code, "The origin URL is not a valid URL.");
  }
  const insecureOk = opts.allowInsecureOrigins === true && url.protocol === "http:" && LOOPBACK.has(url.hostname);
  if (url.protocol !== "https:" && !insecureOk) throw new TesseraError(code, "The origin URL must use https://.");
  if (url.username || url.password) throw new TesseraError(code, "The origin URL must not contain credentials.");
  url.hash = "";
  return url;
}
