import { secureHeaders } from "hono/secure-headers";

/**
 * The security headers of every response: the Worker's own (this middleware)
 * and the admin's static files, which Workers Static Assets serves without
 * running the Worker and which get the same headers from
 * client/public/_headers (test/security-headers.test.ts keeps the two equal).
 *
 * The policy is the admin's: a Vite build of React loads only its own
 * scripts and stylesheets, talks only to this origin (tRPC, uploads, the PDF
 * download), and shows charts as data: SVG images. JSON answers need even
 * less. /v1/docs sets a policy of its own (src/rest/docs.ts).
 */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  strictTransportSecurity: "max-age=31536000; includeSubDomains",
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
  xContentTypeOptions: "nosniff",
  // A route that sets its own header (the docs' narrower CSP) keeps it.
  overwrite: false,
});
