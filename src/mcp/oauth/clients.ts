/**
 * Connected MCP clients: when a person approves a client on the consent
 * page, the client gets a company key of its own (scope `read` or `full`,
 * never more than the person's power), owned by that person, so removing
 * them revokes it like any key of theirs. The client's OAuth tokens act as
 * that key and nothing more; revoking the client revokes the key (the
 * wallet is told first, as for every key) and its grant.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { pastKey } from "../../paging";
import { requireScope, type Caller } from "../../auth/authenticate";
import { keysUsage, setKeyCaps, type CapsInput } from "../../companies/caps";
import { createKey, revokeKeys } from "../../companies/service";
import { apiKeys, mcpClients, members } from "../../db/schema";
import { TesseraError } from "../../errors";
import { newId } from "../../ids";
import type { Member } from "../../members/sessions";
import type { GrantProps } from "./provider";
import { authorizationServer } from "./provider";
import type { Services } from "../../services";

export interface ClientToConnect {
  oauthClientId: string;
  clientName: string;
  redirectHost: string;
}

/**
 * The key for a client `member` approved with `scope`. A client approved
 * again by the same person replaces its earlier key (the provider replaces
 * the earlier grant too).
 */
export async function connectClient(
  s: Services,
  member: Member,
  scope: GrantProps["scope"],
  client: ClientToConnect,
  caps: CapsInput | null,
): Promise<GrantProps & { mcpClientId: string }> {
  const { db } = s;
  // A member acts with `full`, an admin with `company_admin`: either may grant `read` or `full`.
  requireScope({ keyId: member.id, companyId: member.companyId, scope: member.role === "admin" ? "company_admin" : "full" }, scope);
  const earlier = await db
    .select({ keyId: mcpClients.keyId })
    .from(mcpClients)
    .innerJoin(apiKeys, eq(apiKeys.id, mcpClients.keyId))
    .where(and(eq(mcpClients.memberId, member.id), eq(mcpClients.oauthClientId, client.oauthClientId), isNull(apiKeys.revokedAt)));
  for (const { keyId } of earlier) await revokeKeys(s, member.companyId, { keyId });

  const name = `MCP: ${client.clientName}`.slice(0, 100);
  const key = await createKey(db, member.companyId, name, scope, { memberId: member.id }, s.env.KEY_SECRET);
  const id = newId("mcpc");
  try {
    // Caps set here only narrow what the person delegates; raising them later is a company admin's (keys.setCaps).
    if (caps) await setKeyCaps(s, member.companyId, key.id, caps);
    await db.insert(mcpClients).values({ id, companyId: member.companyId, keyId: key.id, ...client, clientName: client.clientName.slice(0, 200), memberId: member.id, createdAt: Date.now() });
  } catch (error) {
    await revokeKeys(s, member.companyId, { keyId: key.id });
    throw error;
  }
  return { keyId: key.id, companyId: member.companyId, scope, mcpClientId: id };
}

/** The company's connected clients, newest first, live or revoked, with what each spent and its caps. */
export async function listClients(s: Services, companyId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  const { db } = s;
  const rows = await db
    .select({
      id: mcpClients.id,
      clientName: mcpClients.clientName,
      oauthClientId: mcpClients.oauthClientId,
      redirectHost: mcpClients.redirectHost,
      keyId: apiKeys.id,
      keyPrefix: apiKeys.prefix,
      scope: apiKeys.scope,
      memberId: mcpClients.memberId,
      memberName: members.name,
      createdAt: mcpClients.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(mcpClients)
    .innerJoin(apiKeys, eq(apiKeys.id, mcpClients.keyId))
    .leftJoin(members, eq(members.id, mcpClients.memberId))
    .where(and(eq(mcpClients.companyId, companyId), pastKey("desc", [mcpClients.createdAt, mcpClients.id], page.after)))
    .orderBy(desc(mcpClients.createdAt), desc(mcpClients.id))
    .limit(page.limit);
  const usage = await keysUsage(s, companyId, rows.map((r) => r.keyId));
  return rows.map((r) => ({ ...r, live: r.revokedAt === null, usage: usage.get(r.keyId)! }));
}

/** Disconnects a client of the caller's company: its key stops on the next call, its tokens stop validating. */
export async function revokeClient(s: Services, caller: Caller, id: string): Promise<void> {
  const { db } = s;
  const row = await db.query.mcpClients.findFirst({ where: and(eq(mcpClients.id, id), eq(mcpClients.companyId, caller.companyId)) });
  if (!row) throw new TesseraError("NOT_FOUND", `No MCP client ${id}.`);
  await revokeKeys(s, caller.companyId, { keyId: row.keyId });
  await revokeGrants(s.env, row.memberId, [row.keyId]);
}

/** The provider's grants that carry one of `keyIds`; the keys are revoked already, this only tidies KV. */
async function revokeGrants(env: Env, memberId: string, keyIds: string[]): Promise<void> {
  const oauth = authorizationServer(env).getOAuthApi(env);
  let cursor: string | undefined;
  do {
    const page = await oauth.listUserGrants(memberId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const grant of page.items) {
      if (keyIds.includes((grant.metadata as { keyId?: string } | null)?.keyId ?? "")) await oauth.revokeGrant(grant.id, memberId);
    }
    cursor = page.cursor;
  } while (cursor);
}

