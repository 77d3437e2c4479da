import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { BASE, workerFetch } from "../harness";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** POSTs an event nobody handles to /webhooks/stripe, signed with the right secret at `offsetSeconds` from now. */
async function deliverSignedAt(offsetSeconds: number) {
  const payload = JSON.stringify({ id: `evt_clock_${offsetSeconds}`, object: "event", type: "tessera.test.clock", data: { object: {} } });
  const timestamp = Math.floor(Date.now() / 1000) + offsetSeconds;
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: env.STRIPE_WEBHOOK_SECRET, timestamp, cryptoProvider });
  const res = await workerFetch(`${BASE}/webhooks/stripe`, { method: "POST", body: payload, headers: { "stripe-signature": signature } });
  return { status: res.status, body: (await res.json()) as any };
}

describe("Stripe webhook signatures: 5 minutes of tolerance, both ways", () => {
  it("refuses a signature dated an hour ahead of our clock", async () => {
    const { status, body } = await deliverSignedAt(3600);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "BAD_REQUEST", message: "Invalid Stripe webhook signature" });
  });

  it("refuses one dated an hour ago", async () => {
    expect((await deliverSignedAt(-3600)).status).toBe(400);
  });

  it("accepts small clock differences either way", async () => {
    for (const offset of [10, -10, 290, -290]) {
      const { status, body } = await deliverSignedAt(offset);
      expect([offset, status, body]).toEqual([offset, 200, { received: true, handled: false }]);
    }
  });

  it("refuses just past the window ahead", async () => {
    expect((await deliverSignedAt(330)).status).toBe(400);
  });
});
