import { env } from "cloudflare:workers";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { services } from "../../src/services";
import { invoiceCredits } from "../../src/billing/invoices";
import { priceCents, wholeCredits } from "../../src/billing/pricing";
import type { Usd } from "../../src/money";
import { stripe } from "./helpers";
import { client } from "../harness";

const HALF_DOLLAR = 500_000 as Usd;

describe("the catalogue (first source document), priced at $0.50 a credit", () => {
  it("lists the three bundles and six plans with their credits, bonus, discount and price", async () => {
    const catalogue = await client().billing.catalogue.query();
    expect(catalogue.creditValueUsd).toBe(0.5);
    expect(catalogue.onDemand).toEqual({ minCredits: 10, maxCredits: 1_000_000, usdPerCredit: 0.5 });
    const row = (item: (typeof catalogue.bundles)[number]) => [item.id, item.credits, item.bonusCredits, item.totalCredits, item.discountPercent, item.priceUsd];
    expect(catalogue.bundles.map(row)).toEqual([
      ["starter", 50, 5, 55, 0, 25],
      ["professional", 250, 32, 282, 0, 125],
      ["enterprise", 1000, 150, 1150, 0, 500],
    ]);
    expect(catalogue.plans.filter((p) => p.interval === "month").map(row)).toEqual([
      ["startup_monthly", 100, 13, 113, 5, 47.5],
      ["professional_monthly", 500, 75, 575, 7.5, 231.25],
      ["enterprise_monthly", 1000, 175, 1175, 10, 450],
    ]);
    expect(catalogue.plans.filter((p) => p.interval === "year").map(row)).toEqual([
      ["startup_annual", 1200, 180, 1380, 10, 540],
      ["professional_annual", 6000, 1050, 7050, 12, 2640],
      ["enterprise_annual", 12000, 2400, 14400, 15, 5100],
    ]);
  });

  it("is data: a catalogue row changed in D1 changes what is offered", async () => {
    await env.DB.prepare("UPDATE billing_catalogue SET active = 0 WHERE id = 'enterprise'").run();
    try {
      const { bundles } = await client().billing.catalogue.query();
      expect(bundles.map((b) => b.id)).toEqual(["starter", "professional"]);
    } finally {
      await env.DB.prepare("UPDATE billing_catalogue SET active = 1 WHERE id = 'enterprise'").run();
    }
  });
});

describe("priceCents: exact integers, one rounding (half up to the cent)", () => {
  it("prices whole credits and discounts exactly at $0.50", () => {
    expect(priceCents(wholeCredits(10), HALF_DOLLAR)).toBe(500);
    expect(priceCents(wholeCredits(1_000_000), HALF_DOLLAR)).toBe(50_000_000);
    expect(priceCents(wholeCredits(500), HALF_DOLLAR, 750)).toBe(23_125);
  });

  it("rounds half up once, on the exact price", () => {
    // 3 credits at $0.333333 = $0.999999 → $1.00; with 5% off = $0.94999905 → $0.95.
    expect(priceCents(wholeCredits(3), 333_333 as Usd)).toBe(100);
    expect(priceCents(wholeCredits(3), 333_333 as Usd, 500)).toBe(95);
    // 1 credit at $0.125 = 12.5 cents → 13; at $0.1249 = 12.49 cents → 12.
    expect(priceCents(wholeCredits(1), 125_000 as Usd)).toBe(13);
    expect(priceCents(wholeCredits(1), 124_900 as Usd)).toBe(12);
  });

  it("refuses a discount outside 0–100%", () => {
    expect(() => priceCents(wholeCredits(1), HALF_DOLLAR, 10_001)).toThrow(RangeError);
  });
});

describe("what a plan invoice is worth in credits", () => {
  async function pricesFor(...plans: [string, number][]) {
    const ids: string[] = [];
    for (const [plan, cents] of plans) {
      const id = `price_test_${plan}_${crypto.randomUUID().slice(0, 8)}`;
      await env.DB.prepare(
        "INSERT INTO stripe_prices (lookup_key, stripe_price_id, catalogue_id, unit_amount_cents, usd_per_credit, created_at) VALUES (?, ?, ?, ?, 500000, 0)",
      )
        .bind(`test:${id}`, id, plan, cents)
        .run();
      ids.push(id);
    }
    return ids;
  }

  function line(price: string, amount: number, proration: boolean) {
    return {
      amount,
      quantity: 1,
      pricing: { price_details: { price, product: "prod_x" } },
      parent: proration
        ? { invoice_item_details: { proration: true }, subscription_item_details: null }
        : { subscription_item_details: { proration: false }, invoice_item_details: null },
    };
  }

  const invoice = (...lines: ReturnType<typeof line>[]) => ({ lines: { data: lines } }) as unknown as Stripe.Invoice;

  it("a period line is worth the plan's credits and bonus", async () => {
    const [startup] = await pricesFor(["startup_monthly", 4750]);
    const worth = await invoiceCredits(services(env), invoice(line(startup!, 4750, false)));
    expect(worth).toMatchObject({ credits: 100_000_000, bonusCredits: 13_000_000 });
    expect(worth!.planPrice.plan.id).toBe("startup_monthly");
  });

  it("an upgrade halfway through the period is worth half the credit difference", async () => {
    const [startup, pro] = await pricesFor(["startup_monthly", 4750], ["professional_monthly", 23_125]);
    const worth = await invoiceCredits(services(env), invoice(line(startup!, -2375, true), line(pro!, 11_562, true)));
    // Charged 9,187 of the full 18,375 cents difference: (400 base, 62 bonus) × 9187/18375, rounded down.
    expect(worth!.planPrice.plan.id).toBe("professional_monthly");
    expect(worth!.credits).toBe(Math.floor((400_000_000 * 9187) / 18_375));
    expect(worth!.bonusCredits).toBe(Math.floor((62_000_000 * 9187) / 18_375));
  });

  it("prices Tessera did not make are worth nothing", async () => {
    const foreign = await stripe.stripe.prices.create({ currency: "usd", unit_amount: 999, recurring: { interval: "month" }, product_data: { name: "Not Tessera's" } });
    const ctx = services(env);
    expect(await invoiceCredits(ctx, invoice(line(foreign.id, 999, false)))).toBeUndefined();
    expect(await invoiceCredits(ctx, invoice(line("price_nobody_made", 999, false)))).toBeUndefined();
    expect(await invoiceCredits(ctx, invoice())).toBeUndefined();
  });
});
