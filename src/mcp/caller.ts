/**
 * Who calls the MCP server: a company API key, sent as
 * `Authorization: Bearer tsk_...` and resolved like the REST routes resolve
 * theirs (the isolate's owner cache, src/metering/callers.ts), or an OAuth
 * access token whose grant names the company key made for that client
 * (src/mcp/oauth). Either way the caller is a company key with its scope.
 *
 * A key's revocation is not cached: the metered tools let the wallet decide
 * (it knows every revoked key of the company, and each key's spending caps),
 * the others read the key in D1 as tRPC does (`liveKey`).
 */
import { and, eq, isNull } from "drizzle-orm";
import { requireScope } from "../auth/authenticate";
import { keyKinds } from "../auth/keys";
import type { Db } from "../db";
import { apiKeys, endpointKeys, type KeyScope } from "../db/schema";
import { TesseraError } from "../errors";
import { keyCaller } from "../metering/callers";
import type { Services } from "../services";

export interface McpCaller {
  keyId: string;
  companyId: string;
  scope: KeyScope;
  /** How the key was presented: as itself, or through an OAuth client's access token. */
  via: "key" | "oauth";
}

/** The bearer token of a request, or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** True when the token has the shape of a company key (not an OAuth access token). */
export function isCompanyKey(token: string): boolean {
  return token.startsWith(`${keyKinds.company}_`);
}

/** The caller behind a company key sent as a bearer token. */
export async function keyBearer(s: Services, request: Request, secret: string): Promise<McpCaller> {
  const owner = await keyCaller(s, secret, request.headers.get("cf-connecting-ip") ?? "local", "company", null);
  return { keyId: owner.keyId, companyId: owner.companyId, scope: owner.scope!, via: "key" };
}

/** Throws FORBIDDEN unless the caller's key may do what `scope` allows. */
export function requireToolScope(caller: McpCaller, scope: "read" | "full"): void {
  requireScope(caller, scope, scope === "full" ? "This tool spends credits or starts a payment: it needs a key with the full scope, not a read-only one." : undefined);
}

/** Throws KEY_REVOKED (or UNAUTHORIZED) unless the caller's key is live now: one indexed read. */
export async function liveKey(db: Db, caller: McpCaller): Promise<void> {
  const key = await db.query.apiKeys.findFirst({
    where: and(eq(apiKeys.id, caller.keyId), eq(apiKeys.companyId, caller.companyId)),
    columns: { revokedAt: true },
  });
  if (!key) throw new TesseraError("UNAUTHORIZED", "This API key is not valid.");
  if (key.revokedAt !== null) throw new TesseraError("KEY_REVOKED", "This API key has been revoked.");
}

/**
 * For an endpoint page: the caller's key is live, and the company's live key
 * for the endpoint if it has one, in one read. No live endpoint key means a
 * first page (one is made) or the seller's cut-off (provisioning refuses).
 * The page itself is billed under the caller's key, whose revocation and
 * caps the wallet checks with the charge.
 */
export async function liveKeyWithEndpointKey(db: Db, caller: McpCaller, endpointId: string): Promise<string | null> {
  const row = await db
    .select({ revokedAt: apiKeys.revokedAt, endpointKeyId: endpointKeys.id })
    .from(apiKeys)
    .leftJoin(
      endpointKeys,
      and(eq(endpointKeys.buyerCompanyId, apiKeys.companyId), eq(endpointKeys.endpointId, endpointId), isNull(endpointKeys.revokedAt)),
    )
    .where(and(eq(apiKeys.id, caller.keyId), eq(apiKeys.companyId, caller.companyId)))
    .get();
  if (!row) throw new TesseraError("UNAUTHORIZED", "This API key is not valid.");
  if (row.revokedAt !== null) throw new TesseraError("KEY_REVOKED", "This API key has been revoked.");
  return row.endpointKeyId;
}
