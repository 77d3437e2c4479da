import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { apiKeys, type KeyScope } from "../db/schema";
import { TesseraError } from "../errors";
import { hashKey, isIssuedKey } from "./keys";

export interface Caller {
  keyId: string;
  companyId: string;
  scope: KeyScope;
}

/**
 * Resolves a company API key to its caller. Looked up on every request (one
 * indexed read) so that a revocation takes effect on the very next request;
 * a key without Tessera's check digits is refused before any lookup.
 */
export async function authenticate(db: Db, secret: string | null | undefined, keySecret: string | undefined): Promise<Caller> {
  if (!secret) throw new TesseraError("UNAUTHORIZED", "Send your API key in the x-api-key header.");
  if (!(await isIssuedKey(secret.trim(), keySecret))) throw new TesseraError("UNAUTHORIZED", "This API key is not valid.");
  const key = await db.query.apiKeys.findFirst({
    where: eq(apiKeys.hash, await hashKey(secret.trim())),
    columns: { id: true, companyId: true, scope: true, revokedAt: true },
  });
  if (!key) throw new TesseraError("UNAUTHORIZED", "This API key is not valid.");
  if (key.revokedAt !== null) throw new TesseraError("KEY_REVOKED", "This API key has been revoked.");
  return { keyId: key.id, companyId: key.companyId, scope: key.scope };
}

// A company's ladder. A platform admin key acts as `full` for its own company
// (`platform`) and is never a company admin; `admin` is checked apart.
const rank: Record<KeyScope, number> = { read: 0, full: 1, company_admin: 2, admin: 1 };

/** True when the caller has at least `scope`. */
export function hasScope(caller: Caller, scope: KeyScope): boolean {
  return scope === "admin" ? caller.scope === "admin" : rank[caller.scope] >= rank[scope];
}

/** Throws FORBIDDEN unless the caller's key has at least `scope`. */
export function requireScope(caller: Caller, scope: KeyScope, message = `This action needs a key with the ${scope} scope.`): void {
  if (!hasScope(caller, scope)) throw new TesseraError("FORBIDDEN", message);
}
