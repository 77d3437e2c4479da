import { OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { TesseraError, type ErrorCode } from "../errors";

/**
 * A router of REST routes defined with their zod schemas. A request that
 * fails its schema is `400 BAD_REQUEST`, rendered like every other error by
 * `app.onError`; metered routes pass their own hook (src/rest/metered.ts),
 * which answers with `billing`.
 */
export function restRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error, "BAD_REQUEST");
    },
  });
}

/**
 * The first problem of a request that failed its schema, as a Tessera error
 * naming the parameter the way the query pipeline does
 * (`Parameter "page_size" takes one value.`).
 */
export function invalidRequest(error: z.ZodError, code: ErrorCode): TesseraError {
  const issue = error.issues[0];
  const name = issue?.path.join(".") ?? "";
  const message = issue?.message ?? "The request is malformed.";
  if (!name || message.toLowerCase().includes(name.toLowerCase())) return new TesseraError(code, message);
  return new TesseraError(code, /^[a-z]/.test(message) ? `Parameter "${name}" ${message}.` : `Parameter "${name}": ${message}`);
}
