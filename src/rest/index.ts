import { stripeWebhooks } from "../webhooks/stripe";
import { companies } from "./companies";
import { docsPage } from "./docs";
import { health } from "./health";
import { restRouter } from "./router";
import { v1 } from "./v1";

/**
 * Tessera's REST surface: every route defined with its zod schemas, and the
 * OpenAPI 3.1 document generated from them (`GET /v1/openapi.json`), shown by
 * the reference page (`GET /v1/docs`). tRPC (`/trpc/*`) is not described
 * here: its typed client is its contract.
 */
export const rest = restRouter();

rest.route("/", health);
rest.route("/v1", v1);
rest.route("/companies", companies);
rest.route("/webhooks", stripeWebhooks);

rest.openAPIRegistry.registerComponent("securitySchemes", "EndpointKey", {
  type: "apiKey",
  in: "header",
  name: "x-api-key",
  description: "The key your company has for one endpoint (`tse_...`, made with `marketplace.endpoints.key`). Good for that endpoint only.",
});
rest.openAPIRegistry.registerComponent("securitySchemes", "CompanyKey", {
  type: "apiKey",
  in: "header",
  name: "x-api-key",
  description: "A company API key (`tsk_...`). Changes need a full-scope key; a read-only key can only read.",
});

const documentConfig: Parameters<typeof rest.getOpenAPI31Document>[0] = {
  openapi: "3.1.0",
  info: {
    title: "Tessera REST API",
    version: "1.0.0",
    description:
      "Buy data with prepaid credits: fetch pages of an endpoint, run an asset, read your credits and earnings. " +
      "Every metered answer carries `billing`; a failed request is never billed. " +
      "Errors have one shape everywhere: `{ error: { code, message, requestId } }`, with `billing` beside it on metered routes.",
  },
  tags: [
    { name: "Buying", description: "Metered calls that spend credits." },
    { name: "Selling", description: "What sellers put behind their products." },
    { name: "Company", description: "Usage and earnings of your own company." },
    { name: "Webhooks", description: "Called by Stripe, not by you." },
    { name: "Service", description: "The Worker itself." },
  ],
};

let generated: ReturnType<typeof rest.getOpenAPI31Document> | undefined;

/** The document, generated once per isolate, with this origin as its server. */
export function openApiDocument(origin: string) {
  generated ??= rest.getOpenAPI31Document(documentConfig);
  return { ...generated, servers: [{ url: origin }] };
}

rest.get("/v1/openapi.json", (c) => c.json(openApiDocument(new URL(c.req.url).origin)));
rest.get("/v1/docs", docsPage);
