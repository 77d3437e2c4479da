import { TesseraError, type ErrorCode } from "../../errors";
import { classifyHost } from "./address";

export type DestinationOptions = {
  /** Tests and local development only: lets this machine (loopback) be a destination, over http too. */
  allowInsecureOrigins?: boolean;
  /** Names the URL in messages: "origin URL", "webhook URL". */
  label?: string;
};

/**
 * The one answer for every refused destination, whichever rule refused it,
 * so nothing about internal hosts can be learned from it.
 */
export function refusedDestinationMessage(label = "origin URL"): string {
  return `The ${label} must point to a public internet host: private, loopback, link-local and reserved addresses and internal host names are refused.`;
}

/**
 * Where Tessera may send a request for a seller (an HTTP origin) or a buyer
 * (a low-balance webhook): HTTPS to a public host. Checked when the URL is
 * saved and again before each request, so a row saved under older rules
 * never reaches an internal host. Literal addresses in any spelling the URL
 * parser normalises and internal names are refused (address.ts); what a
 * public name resolves to is the platform's to police (README.md).
 * Credentials in the URL are refused: the signature is how the receiver
 * knows it's us.
 */
export function checkOriginUrl(raw: string, opts: DestinationOptions = {}, code: ErrorCode = "BAD_REQUEST"): URL {
  const label = opts.label ?? "origin URL";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TesseraError(code, `The ${label} is not a valid URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TesseraError(code, `The ${label} must use https://.`);
  const host = classifyHost(url.hostname);
  const local = host === "loopback" && opts.allowInsecureOrigins === true;
  if (host !== "public" && !local) throw new TesseraError(code, refusedDestinationMessage(label));
  if (url.protocol !== "https:" && !local) throw new TesseraError(code, `The ${label} must use https://.`);
  if (url.username || url.password) throw new TesseraError(code, `The ${label} must not contain credentials.`);
  url.hash = "";
  return url;
}
