import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { authenticationFailed, idempotencyMismatch, noApiKey, StripeFailure, unrecognizedUrl } from "./errors.ts";
import { expand } from "./expand.ts";
import { Faults } from "./faults.ts";
import { decodeForm, type FormObject } from "./form.ts";
import { newId } from "./ids.ts";
import { Outbox } from "./outbox.ts";
import { expandPaths } from "./params.ts";
import { pageRoutes } from "./pages.ts";
import { World } from "./platform.ts";
import { accountRoutes } from "./resources/accounts.ts";
import { checkoutSessionRoutes } from "./resources/checkout-sessions.ts";
import { customerRoutes } from "./resources/customers.ts";
import { eventRoutes } from "./resources/events.ts";
import { invoiceRoutes } from "./resources/invoices.ts";
import { paymentIntentRoutes } from "./resources/payment-intents.ts";
import { paymentMethodRoutes } from "./resources/payment-methods.ts";
import { priceRoutes } from "./resources/prices.ts";
import { productRoutes } from "./resources/products.ts";
import { setupIntentRoutes } from "./resources/setup-intents.ts";
import { subscriptionChangeRoutes } from "./resources/subscription-changes.ts";
import { subscriptionRoutes } from "./resources/subscriptions.ts";
import { transferRoutes } from "./resources/transfers.ts";
import { controlRoutes } from "./controls.ts";
import { match, Reply, type Route } from "./router.ts";

export interface StripeLocalOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Signing secret of the (single) webhook endpoint, `whsec_...`. */
  webhookSecret: string;
  /** When set, every event is also POSTed here, signed. */
  webhookUrl?: string;
  /** When set, only this secret key is accepted; otherwise any `sk_test_...` key, each its own platform. */
  secretKey?: string;
  /** Origin used in `url` fields (checkout pages, account links); defaults to the listening address. */
  publicUrl?: string;
  log?: (line: string) => void;
  /** When set, objects are loaded from this file at start and saved to it after each request. */
  stateFile?: string;
}

export interface StripeLocal {
  url: string;
  port: number;
  world: World;
  close(): Promise<void>;
}

const maxBodyBytes = 1 << 20;

export async function startStripeLocal(options: StripeLocalOptions): Promise<StripeLocal> {
  const log = options.log ?? (() => {});
  const faults = new Faults();
  const routes: Route[] = [
    ...customerRoutes,
    ...paymentMethodRoutes,
    ...setupIntentRoutes,
    ...productRoutes,
    ...priceRoutes,
    ...checkoutSessionRoutes,
    ...paymentIntentRoutes,
    ...subscriptionRoutes,
    ...subscriptionChangeRoutes,
    ...invoiceRoutes,
    ...accountRoutes,
    ...transferRoutes,
    ...eventRoutes,
    ...controlRoutes(faults),
    ...pageRoutes,
  ];
  let world: World | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`stripe-local: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) send(res, Reply.json(500, { error: { type: "api_error", message: "Internal error in the local Stripe server." } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const rawBody = await readBody(req);
    const requestId = newId("req_", 14);
    const reply = await respond(world!, method, url, rawBody, req.headers, requestId);
    reply.headers["request-id"] = requestId;
    log(`${method} ${url.pathname} → ${reply.status}`);
    if (options.stateFile && method !== "GET") writeFileSync(options.stateFile, world!.snapshot());
    send(res, reply);
  }

  async function respond(
    world: World,
    method: string,
    url: URL,
    rawBody: string,
    headers: IncomingMessage["headers"],
    requestId: string,
  ): Promise<Reply> {
    const matched = match(routes, method, url.pathname);
    const form = (): FormObject => ({ ...decodeForm(url.search.slice(1)), ...decodeForm(rawBody) });
    try {
      const key = apiKey(headers.authorization);
      if (key !== undefined) checkKey(key, options.secretKey);
      if (!matched) throw unrecognizedUrl(method, url.pathname);
      const { route, params } = matched;
      if (route.kind === "local") {
        const result = await route.handler({ world, params, body: form(), query: url.searchParams, platformKey: key });
        return result instanceof Reply ? result : Reply.json(200, result);
      }

      if (key === undefined) throw noApiKey();
      const platform = world.platform(key);
      const injected = faults.take(key, method, url.pathname);
      if (injected) throw injected;

      // Idempotency: the same key replays the first response; other parameters are an error.
      const idempotencyKey = method === "POST" ? (headerValue(headers["idempotency-key"]) ?? null) : null;
      const fingerprint = `${method} ${url.pathname} ${rawBody}`;
      const saved = idempotencyKey ? platform.idempotency.get(idempotencyKey) : undefined;
      if (saved) {
        if (saved.fingerprint !== fingerprint) throw idempotencyMismatch(idempotencyKey!);
        return new Reply(saved.status, saved.body, {
          "content-type": "application/json",
          "idempotency-key": idempotencyKey!,
          "idempotent-replayed": "true",
        });
      }

      const save = (reply: Reply): Reply => {
        if (idempotencyKey) {
          platform.remember(idempotencyKey, { fingerprint, status: reply.status, body: reply.body });
          reply.headers["idempotency-key"] = idempotencyKey;
        }
        return reply;
      };
      const body = form();
      try {
        const result = route.handler({ world, platform, params, body, request: { id: requestId, idempotency_key: idempotencyKey } });
        const reply = Reply.json(200, expand(platform, result, expandPaths(body)));
        reply.headers["stripe-version"] = headerValue(headers["stripe-version"]) ?? world.apiVersion;
        return save(reply);
      } catch (error) {
        if (error instanceof StripeFailure && error.savedForIdempotency && error.status < 500) return save(failureReply(error));
        throw error;
      }
    } catch (error) {
      if (error instanceof StripeFailure) return failureReply(error);
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  world = new World(options.publicUrl ?? url, new Outbox(options.webhookSecret, options.webhookUrl, log), Stripe.API_VERSION);
  if (options.stateFile && existsSync(options.stateFile)) world.restore(readFileSync(options.stateFile, "utf8"));

  return {
    url,
    port,
    world,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function failureReply(failure: StripeFailure): Reply {
  return Reply.json(failure.status, { error: failure.body });
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Bearer auth as the SDK sends it, or Basic (`curl -u sk_test_...:`) as Stripe also accepts. */
function apiKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ""] = header.split(" ", 2);
  if (/^bearer$/i.test(scheme ?? "")) return value.trim();
  if (/^basic$/i.test(scheme ?? "")) return Buffer.from(value, "base64").toString("utf8").split(":")[0];
  return "";
}

function checkKey(key: string, required: string | undefined): void {
  // Test keys only: a live key pointed at this server is a configuration mistake worth stopping.
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key) || (required !== undefined && key !== required)) {
    const shown = key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(4)}${key.slice(-4)}` : "****";
    throw authenticationFailed(`Invalid API Key provided: ${shown}`);
  }
}
