import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db";
import { companies, endpointKeys, products } from "../db/schema";
import { TesseraError } from "../errors";
import { hashKey, keyPrefix, newKeySecret } from "../auth/keys";
import { newId } from "../ids";
import { pastKey } from "../paging";
import { wallet } from "../wallet/client";

export interface EndpointKeyView {
  id: string;
  endpointId: string;
  prefix: string;
  createdAt: number;
  /** Present only when the key was just provisioned. */
  secret?: string;
}

/**
 * The buyer company's key for an endpoint, provisioned on its first fetch
 * (free, unmetered). Only the hash is stored, so an existing key's secret
 * cannot be shown again; a buyer who lost it revokes it and fetches anew.
 * A key the seller revoked is not replaced: the seller has cut that buyer off.
 */
export async function provisionEndpointKey(db: Db, endpointId: string, buyerCompanyId: string, keySecret: string | undefined): Promise<EndpointKeyView> {
  const live = await liveKey(db, endpointId, buyerCompanyId);
  if (live) return live;
  const cutOff = await db.query.endpointKeys.findFirst({
    where: and(
      eq(endpointKeys.endpointId, endpointId),
      eq(endpointKeys.buyerCompanyId, buyerCompanyId),
      eq(endpointKeys.revokedBy, "seller"),
    ),
    columns: { id: true },
  });
  if (cutOff) throw new TesseraError("FORBIDDEN", "The seller has revoked your company's access to this endpoint.");

  const secret = await newKeySecret("endpoint", keySecret);
  const row = {
    id: newId("ekey"),
    endpointId,
    buyerCompanyId,
    prefix: keyPrefix(secret),
    hash: await hashKey(secret),
    createdAt: Date.now(),
  };
  // Two first fetches at once: the partial unique index lets one insert win.
  const inserted = await db.insert(endpointKeys).values(row).onConflictDoNothing().returning({ id: endpointKeys.id });
  if (inserted.length === 0) {
    const winner = await liveKey(db, endpointId, buyerCompanyId);
    if (winner) return winner;
    throw new TesseraError("CONFLICT", "The key was changed at the same time; try again.");
  }
  return { id: row.id, endpointId, prefix: row.prefix, createdAt: row.createdAt, secret };
}

async function liveKey(db: Db, endpointId: string, buyerCompanyId: string): Promise<EndpointKeyView | undefined> {
  const key = await db.query.endpointKeys.findFirst({
    where: and(
      eq(endpointKeys.endpointId, endpointId),
      eq(endpointKeys.buyerCompanyId, buyerCompanyId),
      isNull(endpointKeys.revokedAt),
    ),
    columns: { id: true, endpointId: true, prefix: true, createdAt: true },
  });
  return key ?? undefined;
}

/** The buyer's endpoint keys (without secrets). */
export async function buyerEndpointKeys(db: Db, buyerCompanyId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  return db
    .select({
      id: endpointKeys.id,
      endpointId: endpointKeys.endpointId,
      endpointName: products.name,
      prefix: endpointKeys.prefix,
      createdAt: endpointKeys.createdAt,
      revokedAt: endpointKeys.revokedAt,
      revokedBy: endpointKeys.revokedBy,
    })
    .from(endpointKeys)
    .innerJoin(products, eq(products.id, endpointKeys.endpointId))
    .where(and(eq(endpointKeys.buyerCompanyId, buyerCompanyId), pastKey("desc", [endpointKeys.createdAt, endpointKeys.id], page.after)))
    .orderBy(desc(endpointKeys.createdAt), desc(endpointKeys.id))
    .limit(page.limit);
}

/** Which buyer companies hold keys to one of the seller's endpoints. */
export async function endpointCustomers(db: Db, endpointId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  return db
    .select({
      id: endpointKeys.id,
      buyerCompanyId: endpointKeys.buyerCompanyId,
      buyerName: companies.name,
      prefix: endpointKeys.prefix,
      createdAt: endpointKeys.createdAt,
      revokedAt: endpointKeys.revokedAt,
      revokedBy: endpointKeys.revokedBy,
    })
    .from(endpointKeys)
    .innerJoin(companies, eq(companies.id, endpointKeys.buyerCompanyId))
    .where(and(eq(endpointKeys.endpointId, endpointId), pastKey("desc", [endpointKeys.createdAt, endpointKeys.id], page.after)))
    .orderBy(desc(endpointKeys.createdAt), desc(endpointKeys.id))
    .limit(page.limit);
}

/**
 * Revokes a key as its buyer or as the endpoint's seller; it stops on the
 * next request. The buyer's wallet is told first: metered calls ask it.
 */
export async function revokeEndpointKey(
  env: Env,
  db: Db,
  keyId: string,
  by: { role: "buyer"; companyId: string } | { role: "seller"; companyId: string },
): Promise<void> {
  const key = await db
    .select({ id: endpointKeys.id, endpointId: endpointKeys.endpointId, buyer: endpointKeys.buyerCompanyId, seller: products.sellerCompanyId, revokedAt: endpointKeys.revokedAt })
    .from(endpointKeys)
    .innerJoin(products, eq(products.id, endpointKeys.endpointId))
    .where(eq(endpointKeys.id, keyId))
    .get();
  const owner = by.role === "buyer" ? key?.buyer : key?.seller;
  if (!key || owner !== by.companyId) throw new TesseraError("NOT_FOUND", `No endpoint key ${keyId}.`);
  if (key.revokedAt !== null) return;
  // The wallet first, so the next call is refused whatever happens to the write below.
  if (by.role === "seller") await wallet(env, key.buyer).cutOff({ productId: key.endpointId, keyIds: [key.id] });
  else await wallet(env, key.buyer).revokeKeys([key.id]);
  await db
    .update(endpointKeys)
    .set({ revokedAt: Date.now(), revokedBy: by.role })
    .where(and(eq(endpointKeys.id, keyId), isNull(endpointKeys.revokedAt)));
}

/**
 * Rolls a buyer's endpoint key: the old one is revoked (it stops on the next
 * request) and a new one issued for the same endpoint, with the old one's
 * spending caps, in one step. The new secret is in the answer, the one time
 * it is shown. A revoked key has nothing to roll: get a new one instead.
 */
export async function rollEndpointKey(env: Env, db: Db, buyerCompanyId: string, keyId: string): Promise<EndpointKeyView> {
  const key = await db.query.endpointKeys.findFirst({
    where: and(eq(endpointKeys.id, keyId), eq(endpointKeys.buyerCompanyId, buyerCompanyId)),
    columns: { id: true, endpointId: true, revokedAt: true },
  });
  if (!key) throw new TesseraError("NOT_FOUND", `No endpoint key ${keyId}.`);
  if (key.revokedAt !== null) throw new TesseraError("CONFLICT", "This key is revoked already: get a new one on the endpoint's page.");
  const purse = wallet(env, buyerCompanyId);
  const [usage] = await purse.keyUsage([key.id]);
  await revokeEndpointKey(env, db, key.id, { role: "buyer", companyId: buyerCompanyId });
  const next = await provisionEndpointKey(db, key.endpointId, buyerCompanyId, env.KEY_SECRET);
  if (usage?.caps) await purse.setCaps(next.id, usage.caps);
  return next;
}
