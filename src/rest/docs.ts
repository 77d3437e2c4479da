import type { Context } from "hono";
import type { AppEnv } from "../context";

/**
 * `GET /v1/docs`: the API reference, drawn in the browser by Scalar from
 * `/v1/openapi.json`. Its script is Scalar's standalone bundle, served from
 * this site's own static assets (client/vite.config.ts puts it at
 * `/docs/scalar.js`), so nothing is fetched from anywhere else.
 */
export function docsPage(c: Context<AppEnv>) {
  c.header("content-security-policy", docsPolicy);
  return c.html(docsHtml);
}

const DOCS_SCRIPT = "/docs/scalar.js";

/**
 * The page's own policy instead of the site's (src/security-headers.ts):
 * scripts from this origin only, requests to this origin only (the document,
 * and "Test request" against this API), nothing framed, no forms. Styles may
 * be inline: Scalar injects its stylesheets and sets style attributes from
 * script, several without the nonce it supports, and blocking them breaks
 * the page. No inline script runs, so injected markup can't act.
 */
export const docsPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Scalar's settings: the system's fonts, none of Scalar's own services, the document of this origin. */
const configuration = {
  url: "/v1/openapi.json",
  withDefaultFonts: false,
  hideClientButton: true,
  showDeveloperTools: "never",
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  documentDownloadType: "json",
  // A small API: every operation on one page.
  defaultOpenAllTags: true,
};

const docsHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tessera REST API — reference</title>
</head>
<body>
<noscript>The reference needs JavaScript. The OpenAPI document is at <a href="/v1/openapi.json">/v1/openapi.json</a>.</noscript>
<script id="api-reference" type="application/json" data-configuration="${escapeAttribute(JSON.stringify(configuration))}"></script>
<script src="${DOCS_SCRIPT}"></script>
</body>
</html>`;

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
