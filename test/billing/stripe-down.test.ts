import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startCheckout } from "../../src/billing/checkout";
import { TesseraError } from "../../src/errors";
import { services } from "../../src/services";
import { localStripe } from "../stripe-local/harness";
import { h, available } from "../harness";

describe("Stripe down at checkout", () => {
  it("answers STRIPE_ERROR, records the order as failed, moves no credits, and the next checkout works", async () => {
    // A platform of its own, so the injected outage touches no other test file.
    const platform = localStripe();
    const ctx = services({ ...env, ...platform.env });
    const b = await h.buyer();
    // The customer is made first; then every checkout attempt fails (the SDK tries 3 times).
    await platform.control("/faults", { path: "/v1/checkout/sessions", method: "POST", count: "3", error: "api_error" });

    const error = await startCheckout(ctx, b.company.id, { kind: "bundle", bundle: "starter" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as TesseraError).code).toBe("STRIPE_ERROR");
    const { items } = await b.api.billing.orders.query();
    expect(items).toMatchObject([{ kind: "bundle", status: "failed", failureReason: "Stripe refused the checkout." }]);
    expect(await available(b.company.id)).toBe(0);

    const again = await startCheckout(ctx, b.company.id, { kind: "bundle", bundle: "starter" });
    expect(again.url).toContain("/checkout/cs_test_");
    expect((await b.api.billing.order.query({ id: again.orderId })).status).toBe("pending");
  });
});
