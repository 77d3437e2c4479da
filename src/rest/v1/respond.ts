import type { Context } from "hono";
import type { AppEnv } from "../../app";
import type { MeteredAnswer } from "../../metering/billing";

/** A metered answer as an HTTP response. */
export function meteredResponse(c: Context<AppEnv>, answer: MeteredAnswer) {
  for (const [name, value] of Object.entries(answer.headers ?? {})) c.header(name, value);
  return c.json(answer.body as object, answer.status as 200);
}
