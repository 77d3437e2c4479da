import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TesseraError } from "../src/errors";
import { services } from "../src/services";

describe("a worker without a Stripe secret", () => {
  it("builds its services and fails only where Stripe is reached, saying why", () => {
    const s = services({ ...env, STRIPE_SECRET_KEY: "" });
    expect(s.wallet).toBeTypeOf("function");
    expect(() => s.stripe.customers).toThrow(TesseraError);
    expect(() => s.stripe.customers).toThrow("Stripe is not configured: set the STRIPE_SECRET_KEY secret.");
  });
});
