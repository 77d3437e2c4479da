import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { companies, endpointKeys, products } from "../db/schema";
import { TesseraError } from "../errors";
import { hashKey } from "../auth/keys";
import { isListed, type Product } from "../products/service";

export interface EndpointAccess {
  keyId: string;
  buyerCompanyId: string;
  product: Product;
}

/**
 * Who may call this endpoint with this key: the key must be an endpoint key,
 * live, and for this very endpoint; the endpoint must be on sale (or the
 * caller is its seller). One indexed read on the happy path.
 */
export async function endpointAccess(db: Db, secret: string | undefined, endpointId: string): Promise<EndpointAccess> {
  if (!secret) throw new TesseraError("UNAUTHORIZED", "Send your endpoint key in the x-api-key header.");
  const row = await db
    .select({ key: endpointKeys, product: products, sellerCanSell: companies.canSell })
    .from(endpointKeys)
    .innerJoin(products, eq(products.id, endpointKeys.endpointId))
    .innerJoin(companies, eq(companies.id, products.sellerCompanyId))
    .where(eq(endpointKeys.hash, await hashKey(secret.trim())))
    .get();
  if (!row) {
    const hint = secret.startsWith("tsk_") ? " Company keys don't call endpoints: use the endpoint's own key." : "";
    throw new TesseraError("UNAUTHORIZED", `This key is not a valid endpoint key.${hint}`);
  }
  if (row.key.revokedAt !== null) throw new TesseraError("KEY_REVOKED", "This endpoint key has been revoked.");
  if (row.key.endpointId !== endpointId) {
    const exists = await db.query.products.findFirst({ where: eq(products.id, endpointId), columns: { id: true } });
    if (!exists) throw new TesseraError("NOT_FOUND", `No endpoint ${endpointId}.`);
    throw new TesseraError("FORBIDDEN", "This key belongs to another endpoint.");
  }
  const own = row.key.buyerCompanyId === row.product.sellerCompanyId;
  if (!own && !isListed(row.product, row.sellerCanSell)) {
    throw new TesseraError("NOT_FOUND", `Endpoint ${endpointId} is not on sale.`);
  }
  return { keyId: row.key.id, buyerCompanyId: row.key.buyerCompanyId, product: row.product };
}
