/** A buyer's library: the assets it subscribed to (free; the source documents' word). */
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { library, products } from "../db/schema";
import { pastKey } from "../paging";

/** Subscribes: free, moves no credits; subscribing twice changes nothing. */
export async function addToLibrary(db: Db, companyId: string, productId: string): Promise<void> {
  await db.insert(library).values({ companyId, productId, createdAt: Date.now() }).onConflictDoNothing();
}

/** Takes an asset out of the library (its stored results stay in Purchases). */
export async function removeFromLibrary(db: Db, companyId: string, productId: string): Promise<void> {
  await db.delete(library).where(and(eq(library.companyId, companyId), eq(library.productId, productId)));
}

/** Newest first; page on `after` the last item's [subscribedAt, productId]. */
export async function libraryOf(db: Db, companyId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  return db
    .select({ productId: products.id, name: products.name, assetKind: products.assetKind, subscribedAt: library.createdAt })
    .from(library)
    .innerJoin(products, eq(products.id, library.productId))
    .where(and(eq(library.companyId, companyId), pastKey("desc", [library.createdAt, library.productId], page.after)))
    .orderBy(desc(library.createdAt), desc(library.productId))
    .limit(page.limit);
}
