/**
 * A seller's standing (`companies.can_sell`) reaches its products' objects
 * (src/products/state.ts), which every metered call asks: a disconnect
 * delists every product on its very next call. Run after each D1 batch that
 * derives `can_sell` (state.ts `syncCanSell`).
 *
 * A product made while this runs: this may not see its row yet, so product
 * creation reads `can_sell` again once its row exists (products/service.ts);
 * between the two reads, one of them sees the change.
 */
import { eq } from "drizzle-orm";
import { companies, products } from "../db/schema";
import type { Services } from "../services";

export async function pushStanding({ db, product }: Pick<Services, "db" | "product">, companyId: string): Promise<void> {
  const [company, owned] = await Promise.all([
    db.query.companies.findFirst({ where: eq(companies.id, companyId), columns: { canSell: true } }),
    db.select({ id: products.id }).from(products).where(eq(products.sellerCompanyId, companyId)),
  ]);
  if (!company) return;
  await Promise.all(owned.map((p) => product(p.id).setSellerCanSell(company.canSell)));
}
