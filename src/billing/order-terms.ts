/**
 * What a buyer asks for (on-demand credits, a bundle, a plan), resolved
 * against the catalogue and the credit value in force into credits and a
 * price. Checkout and auto-refill both start here.
 */
import type { Db } from "../db";
import type { OrderKind } from "../db/schema";
import { fieldError, TesseraError } from "../errors";
import type { CreditRate, Credits } from "../money";
import { getBundle, getPlan, itemPriceCents, type CatalogueItem, type Plan } from "./catalogue";
import { isOnDemandCredits, ON_DEMAND_CREDITS_RULE, priceCents, wholeCredits } from "./pricing";

export interface OrderRequest {
  kind: "on_demand" | "bundle" | "plan";
  credits?: number | undefined;
  bundle?: string | undefined;
  plan?: string | undefined;
}

export interface OrderTerms {
  kind: Extract<OrderKind, "on_demand" | "bundle" | "plan">;
  catalogueId: string | null;
  /** The bundle's or plan's own name ("Starter"); null on demand. */
  catalogueName: string | null;
  /** The line item's name at Checkout. */
  name: string;
  credits: Credits;
  bonusCredits: Credits;
  discountBps: number;
  priceCents: number;
  plan?: Plan;
}

/** The columns of a credit order that its terms decide. */
export function orderColumns(terms: OrderTerms) {
  const { catalogueId, catalogueName, credits, bonusCredits, priceCents, discountBps } = terms;
  return { catalogueId, catalogueName, credits, bonusCredits, priceCents, discountBps };
}

/** Whole credits for an on-demand order: INVALID_AMOUNT unless a whole number from 10 to 1,000,000. */
export function checkOnDemandCredits(credits: unknown): number {
  if (!isOnDemandCredits(credits)) throw fieldError("INVALID_AMOUNT", "credits", ON_DEMAND_CREDITS_RULE);
  return credits;
}

export async function resolveOrderTerms(db: Db, rate: CreditRate, request: OrderRequest): Promise<OrderTerms> {
  switch (request.kind) {
    case "on_demand": {
      const whole = checkOnDemandCredits(request.credits);
      const credits = wholeCredits(whole);
      return {
        kind: "on_demand",
        catalogueId: null,
        catalogueName: null,
        name: `${whole.toLocaleString("en-US")} Tessera credits`,
        credits,
        bonusCredits: 0 as Credits,
        discountBps: 0,
        priceCents: priceCents(credits, rate.usdPerCredit),
      };
    }
    case "bundle": {
      if (!request.bundle) throw new TesseraError("BAD_REQUEST", "Name the bundle to buy (`bundle`).");
      return fromCatalogue(await getBundle(db, request.bundle), rate);
    }
    case "plan": {
      if (!request.plan) throw new TesseraError("BAD_REQUEST", "Name the plan to subscribe to (`plan`).");
      const plan = await getPlan(db, request.plan);
      return { ...fromCatalogue(plan, rate), plan };
    }
    default:
      throw new TesseraError("BAD_REQUEST", "kind must be on_demand, bundle or plan.");
  }
}

/** A bundle or plan from the catalogue, priced at `rate`. */
function fromCatalogue(item: CatalogueItem, rate: CreditRate): OrderTerms {
  return {
    kind: item.kind,
    catalogueId: item.id,
    catalogueName: item.name,
    name: `Tessera ${item.name} ${item.kind}`,
    credits: item.credits as Credits,
    bonusCredits: item.bonusCredits as Credits,
    discountBps: item.discountBps,
    priceCents: itemPriceCents(item, rate.usdPerCredit),
  };
}
