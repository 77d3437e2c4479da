import { eq } from "drizzle-orm";
import { getDataSource, removeDataSource } from "../data";
import { products } from "../db/schema";
import { TesseraError } from "../errors";
import { forgetSource } from "../products/context";
import { dataDeps } from "./seller";
import type { Services } from "../services";

/**
 * Deletes a company's data source that no product uses any more (a
 * dataset's rows go with it), or stops an upload still running. Shared by
 * tRPC `dataSources.delete` and `DELETE /v1/datasets/:id`.
 */
export async function deleteOwnSource(s: Services, companyId: string, id: string): Promise<{ id: string; deleted: true }> {
  const { db } = s;
  const deps = dataDeps(s);
  // Ownership first: another company learns nothing, not even which products use it.
  const source = await getDataSource(deps, id, { companyId });
  const users = await db
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(eq(products.dataSourceId, source.id))
    .limit(6);
  if (users.length) {
    const names = users.slice(0, 5).map((p) => `"${p.name}" (${p.id})`).join(", ");
    throw new TesseraError(
      "CONFLICT",
      `${source.id} still backs ${users.length > 5 ? "more than 5 products" : users.length === 1 ? "a product" : `${users.length} products`}: ${names}. Move or delete them first.`,
    );
  }
  await removeDataSource(deps, source);
  forgetSource(source.id);
  return { id: source.id, deleted: true };
}
