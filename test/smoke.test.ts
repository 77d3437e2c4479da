import { env, exports } from "cloudflare:workers";
import { expect, it } from "vitest";

it("serves health and has the catalog migrated", async () => {
  const res = await exports.default.fetch("http://x/health");
  expect(await res.json()).toEqual({ ok: true });
  const rate = await env.DB.prepare("SELECT usd_per_credit FROM credit_rates").first();
  expect(rate).toEqual({ usd_per_credit: 500000 });
});
