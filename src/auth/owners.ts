/**
 * Who a key belongs to, for metered calls: read from D1 once per isolate and
 * kept (src/caches.ts), since a key's company, scope and endpoint never
 * change. Whether it is revoked is not kept here: the company's wallet knows,
 * and a metered call asks the wallet anyway.
 */
import { eq } from "drizzle-orm";
import { keyOwners, type KeyOwner } from "../caches";
import type { Db } from "../db";
import { apiKeys, endpointKeys } from "../db/schema";
import { hashKey, isIssuedKey, keyKinds } from "./keys";

/**
 * The owner of an API key or endpoint key, or null when it is no key of ours.
 * A key without Tessera's check digits is refused before any lookup.
 */
export async function keyOwner(db: Db, secret: string, keySecret: string | undefined): Promise<KeyOwner | null> {
  const hash = await hashKey(secret);
  const known = keyOwners.get(hash);
  if (known) return known;
  if (!(await isIssuedKey(secret, keySecret))) return null;
  if (secret.startsWith(`${keyKinds.endpoint}_`)) {
    const row = await db.query.endpointKeys.findFirst({
      where: eq(endpointKeys.hash, hash),
      columns: { id: true, buyerCompanyId: true, endpointId: true },
    });
    return row ? keyOwners.set(hash, { keyId: row.id, companyId: row.buyerCompanyId, kind: "endpoint", scope: null, endpointId: row.endpointId }) : null;
  }
  if (secret.startsWith(`${keyKinds.company}_`)) {
    const row = await db.query.apiKeys.findFirst({ where: eq(apiKeys.hash, hash), columns: { id: true, companyId: true, scope: true } });
    return row ? keyOwners.set(hash, { keyId: row.id, companyId: row.companyId, kind: "company", scope: row.scope, endpointId: null }) : null;
  }
  return null;
}
