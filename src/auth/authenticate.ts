import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { apiKeys, type KeyScope } from "../db/schema";
import { TesseraError } from "../errors";
import { hashKey } from "./keys";

export interface Caller {
  keyId: string;
  companyId: string;
  scope: KeyScope;
}

/**
 * Resolves a company API key to its caller. Looked up on every request (one
 * indexed read) so that a revocation takes effect on the very next request.
 */
export async function authenticate(db: Db, secret: string | null | undefined): Promise<Caller> {
  if (!secret) throw new TesseraError("UNAUTHORIZED", "Send your API key in the x-api-key header.");
  const key = await db.query.apiKeys.findFirst({
    where: eq(apiKeys.hash, await hashKey(secret.trim())),
    columns: { id: true, companyId: true, scope: true, revokedAt: true },
  });
  if (!key) throw new TesseraError("UNAUTHORIZED", "This API key is not valid.");
  if (key.revokedAt !== null) throw new TesseraError("KEY_REVOKED", "This API key has been revoked.");
  return { keyId: key.id, companyId: key.companyId, scope: key.scope };
}

const rank: Record<KeyScope, number> = { read: 0, full: 1, admin: 2 };

/** Throws FORBIDDEN unless the caller's key has at least `scope`. */
export function requireScope(caller: Caller, scope: KeyScope): void {
  if (scope === "admin" ? caller.scope !== "admin" : rank[caller.scope] < rank[scope]) {
    throw new TesseraError("FORBIDDEN", `This action needs a key with the ${scope} scope.`);
  }
}
