/**
 * The catalogue of bundles and plans. It is data (seeded by the migration
 * 0004_billing_catalogue), read from D1; prices follow the credit value in force.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { billingCatalogue, type PlanInterval } from "../db/schema";
import { TesseraError } from "../errors";
import { toDecimalNumber, type CreditRate, type Credits, type Usd } from "../money";
import { centsToUsdNumber, priceCents } from "./pricing";

export type CatalogueItem = typeof billingCatalogue.$inferSelect;
export type Plan = CatalogueItem & { kind: "plan"; interval: PlanInterval };

/** Base plus bonus micro-credits. */
export function totalCredits(item: Pick<CatalogueItem, "credits" | "bonusCredits">): Credits {
  return (item.credits + item.bonusCredits) as Credits;
}

/** The item's price in cents at `usdPerCredit`. */
export function itemPriceCents(item: CatalogueItem, usdPerCredit: Usd): number {
  return priceCents(item.credits as Credits, usdPerCredit, item.discountBps);
}

export async function listCatalogue(db: Db): Promise<CatalogueItem[]> {
  return db
    .select()
    .from(billingCatalogue)
    .where(eq(billingCatalogue.active, true))
    .orderBy(asc(billingCatalogue.kind), asc(billingCatalogue.interval), asc(billingCatalogue.rank));
}

export async function findItem(db: Db, id: string): Promise<CatalogueItem | undefined> {
  return db.query.billingCatalogue.findFirst({ where: eq(billingCatalogue.id, id) });
}

export async function getBundle(db: Db, id: string): Promise<CatalogueItem> {
  const item = await db.query.billingCatalogue.findFirst({
    where: and(eq(billingCatalogue.id, id), eq(billingCatalogue.kind, "bundle"), eq(billingCatalogue.active, true)),
  });
  if (!item) throw new TesseraError("NOT_FOUND", `No bundle "${id}". See billing.catalogue for the bundles on offer.`);
  return item;
}

export async function getPlan(db: Db, id: string, opts: { activeOnly?: boolean } = {}): Promise<Plan> {
  const item = await findItem(db, id);
  if (!item || item.kind !== "plan" || !item.interval || (opts.activeOnly !== false && !item.active)) {
    throw new TesseraError("NOT_FOUND", `No plan "${id}". See billing.catalogue for the plans on offer.`);
  }
  return item as Plan;
}

/** How the catalogue reads in the API: credits and USD as numbers, the price at today's credit value. */
export function catalogueView(item: CatalogueItem, rate: CreditRate) {
  const cents = itemPriceCents(item, rate.usdPerCredit);
  return {
    id: item.id,
    kind: item.kind,
    name: item.name,
    interval: item.interval,
    credits: toDecimalNumber(item.credits),
    bonusCredits: toDecimalNumber(item.bonusCredits),
    totalCredits: toDecimalNumber(totalCredits(item)),
    discountPercent: item.discountBps / 100,
    priceUsd: centsToUsdNumber(cents),
    priceCents: cents,
  };
}
