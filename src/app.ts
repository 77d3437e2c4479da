import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { bench } from "./bench";
import type { AppEnv } from "./context";
import { TesseraError } from "./errors";
import { randomToken } from "./ids";
import { mcpRoutes } from "./mcp/http";
import { rest } from "./rest";
import { MAX_BATCH_CALLS } from "./trpc/batch";
import { appRouter } from "./trpc/router";
import { securityHeaders } from "./security-headers";
import { services } from "./services";

export const app = new Hono<AppEnv>();

app.use(securityHeaders);
app.use(async (c, next) => {
  const requestId = `req_${randomToken(20)}`;
  c.set("requestId", requestId);
  c.set("services", services(c.env));
  await next();
  c.header("x-request-id", requestId);
});

/** The one place errors become HTTP responses: `{ error: { code, message, requestId } }`. */
app.onError((err, c) => {
  const requestId = c.get("requestId");
  if (err instanceof TesseraError) {
    return c.json({ error: { code: err.code, message: err.message, requestId } }, err.status as 400);
  }
  if (err instanceof HTTPException && err.status < 500) {
    return c.json({ error: { code: "BAD_REQUEST", message: err.message, requestId } }, err.status);
  }
  console.error(requestId, err);
  return c.json({ error: { code: "INTERNAL", message: "Something went wrong on our side.", requestId } }, 500);
});

app.notFound((c) =>
  c.json({ error: { code: "NOT_FOUND", message: `No route ${c.req.method} ${c.req.path}.`, requestId: c.get("requestId") } }, 404),
);

app.all("/trpc/*", (c) =>
  fetchRequestHandler({
    endpoint: "/trpc",
    req: c.req.raw,
    router: appRouter,
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: ({ resHeaders }) => ({
      ...c.var.services,
      requestId: c.get("requestId"),
      apiKey: c.req.header("x-api-key") ?? null,
      waitUntil: (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise),
      req: c.req.raw,
      resHeaders,
    }),
  }),
);

// The REST routes, /health and /webhooks/stripe included, with their OpenAPI document and reference page.
app.route("/", rest);
app.route("/", mcpRoutes);
app.route("/", bench);
