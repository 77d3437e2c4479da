import type { Context } from "hono";
import type { AppEnv } from "../../app";
import type { MeteredAnswer } from "../../metering/billing";
import { withPaymentTerms } from "../../metering/payment";

/** A metered answer as an HTTP response; a 402 for lack of credits carries its payment terms and challenge. */
export async function meteredResponse(c: Context<AppEnv>, metered: MeteredAnswer) {
  const answer = await withPaymentTerms(c.env, new URL(c.req.url).origin, metered);
  for (const [name, value] of Object.entries(answer.headers ?? {})) c.header(name, value);
  return c.json(answer.body as object, answer.status as 200);
}
