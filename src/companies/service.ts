import { and, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { requireScope, type Caller } from "../auth/authenticate";
import type { Db } from "../db";
import { apiKeys, companies, memberInvites, members, type KeyScope } from "../db/schema";
import { TesseraError } from "../errors";
import { pastKey } from "../paging";
import { hashKey, keyPrefix, newKeySecret } from "../auth/keys";
import { newId } from "../ids";
import { wallet } from "../wallet/client";

/** The company that platform admins' keys belong to. */
export const PLATFORM_COMPANY_ID = "platform";

export type Company = typeof companies.$inferSelect;

export interface NewKey {
  id: string;
  name: string;
  prefix: string;
  scope: KeyScope;
  /** The member who owns it (their removal revokes it); null for a company key. */
  memberId: string | null;
  /** Shown once, never stored. */
  secret: string;
  createdAt: number;
}

/**
 * Who makes a key: a signed-in member (the key is theirs), another key of the
 * company (the new key inherits its owner), or nobody: the sign-up key and
 * platform admin keys.
 */
export type KeyMaker = { memberId: string } | { keyId: string } | null;

export interface SignUp {
  name: string;
  isBuyer: boolean;
  isSeller: boolean;
  billingEmail?: string | undefined;
}

/**
 * Creates a company and its first API key, a company admin key owned by no
 * one: with it a company made through the API invites its first person.
 */
export async function signUp(db: Db, input: SignUp, keySecret: string | undefined): Promise<{ company: Company; apiKey: NewKey }> {
  if (!input.isBuyer && !input.isSeller) {
    throw new TesseraError("BAD_REQUEST", "A company must be a buyer, a seller, or both.");
  }
  const company: Company = {
    id: newId("co"),
    name: input.name,
    isBuyer: input.isBuyer,
    isSeller: input.isSeller,
    billingEmail: input.billingEmail ?? null,
    canSell: false,
    createdAt: Date.now(),
  };
  const key = await keyRow(company.id, "Default key", "company_admin", keySecret);
  await db.batch([db.insert(companies).values(company), db.insert(apiKeys).values(key.row)]);
  return { company, apiKey: key.view };
}

export async function getCompany(db: Db, id: string): Promise<Company> {
  const company = await db.query.companies.findFirst({ where: eq(companies.id, id) });
  if (!company) throw new TesseraError("NOT_FOUND", `No company ${id}.`);
  return company;
}

export type CompanyPatch = Partial<Pick<Company, "name" | "billingEmail" | "isBuyer" | "isSeller">>;

/**
 * Changes a company. An empty patch is BAD_REQUEST, and so is one that would
 * leave the company neither a buyer nor a seller: the rule is in the UPDATE
 * itself, so two patches at once can't get past it together.
 */
export async function updateCompany(db: Db, id: string, patch: CompanyPatch): Promise<Company> {
  const set = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as CompanyPatch;
  if (Object.keys(set).length === 0) {
    throw new TesseraError("BAD_REQUEST", "Nothing to change: send at least one of name, billingEmail, isBuyer, isSeller.");
  }
  const buyer = set.isBuyer === undefined ? companies.isBuyer : sql`${set.isBuyer ? 1 : 0}`;
  const seller = set.isSeller === undefined ? companies.isSeller : sql`${set.isSeller ? 1 : 0}`;
  const changesRoles = set.isBuyer !== undefined || set.isSeller !== undefined;
  const [row] = await db
    .update(companies)
    .set(set)
    .where(and(eq(companies.id, id), changesRoles ? sql`(${buyer} OR ${seller})` : undefined))
    .returning();
  if (row) return row;
  await getCompany(db, id);
  throw new TesseraError("BAD_REQUEST", "A company must be a buyer, a seller, or both.");
}

/**
 * Makes a key. A maker that is a member or a key must still be live when the
 * row lands (one INSERT ... SELECT), so a key made in the instant its maker is
 * removed or revoked is not made at all and can't outlive them.
 */
export async function createKey(db: Db, companyId: string, name: string, scope: KeyScope, by: KeyMaker, keySecret: string | undefined): Promise<NewKey> {
  const key = await keyRow(companyId, name, scope, keySecret);
  if (!by) {
    await db.insert(apiKeys).values(key.row);
    return key.view;
  }
  const maker: SQL =
    "memberId" in by
      ? sql`SELECT ${members.id} AS owner, ${members.id} AS maker FROM ${members}
            WHERE ${members.id} = ${by.memberId} AND ${members.companyId} = ${companyId} AND ${members.removedAt} IS NULL`
      : sql`SELECT k.member_id AS owner, k.id AS maker FROM ${apiKeys} k LEFT JOIN ${members} m ON m.id = k.member_id
            WHERE k.id = ${by.keyId} AND k.company_id = ${companyId} AND k.revoked_at IS NULL
              AND (k.member_id IS NULL OR (m.id IS NOT NULL AND m.removed_at IS NULL))`;
  const r = key.row;
  const inserted = await db.all<{ member_id: string | null }>(sql`
    INSERT INTO ${apiKeys} (id, company_id, name, prefix, hash, scope, created_at, member_id, created_by)
    SELECT ${r.id}, ${r.companyId}, ${r.name}, ${r.prefix}, ${r.hash}, ${r.scope}, ${r.createdAt}, owner, maker FROM (${maker})
    RETURNING member_id`);
  const [made] = inserted;
  if (!made) throw new TesseraError("UNAUTHORIZED", "Whoever asked for this key was removed or revoked a moment ago.");
  return { ...key.view, memberId: made.member_id };
}

/** Keys of a company, newest first, with their owners and without their hashes; page on `after` the last [createdAt, id]. */
export async function listKeys(db: Db, companyId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scope: apiKeys.scope,
      memberId: apiKeys.memberId,
      memberName: members.name,
      createdBy: apiKeys.createdBy,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .leftJoin(members, eq(members.id, apiKeys.memberId))
    .where(and(eq(apiKeys.companyId, companyId), pastKey("desc", [apiKeys.createdAt, apiKeys.id], page.after)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(page.limit);
}

/**
 * Revokes one of the company's keys for `caller`, who needs at least the
 * key's power (a member can't revoke a company admin key). Revoking twice
 * changes nothing.
 */
export async function revokeKey(env: Env, db: Db, caller: Caller, keyId: string): Promise<void> {
  const key = await db.query.apiKeys.findFirst({
    where: and(eq(apiKeys.id, keyId), eq(apiKeys.companyId, caller.companyId)),
    columns: { scope: true, revokedAt: true },
  });
  if (!key) throw new TesseraError("NOT_FOUND", `No key ${keyId}.`);
  requireScope(caller, key.scope, `Only a caller with the ${key.scope} scope can revoke this key.`);
  if (key.revokedAt === null) await revokeKeys(env, db, caller.companyId, { keyId });
}

/**
 * The one place company API keys are revoked: one key, or every live key a
 * member owns (when they are removed). They stop working on the next request:
 * the company's wallet is told first, since metered calls ask it and not D1.
 * The invitations they sent that nobody accepted yet are withdrawn with them.
 * Returns the ids it revoked; revoking a revoked key changes nothing.
 */
export async function revokeKeys(
  env: Env,
  db: Db,
  companyId: string,
  which: { keyId: string } | { memberId: string },
  now = Date.now(),
): Promise<string[]> {
  const target = "keyId" in which ? eq(apiKeys.id, which.keyId) : eq(apiKeys.memberId, which.memberId);
  const ids = (await db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.companyId, companyId), isNull(apiKeys.revokedAt), target))).map((k) => k.id);
  if (ids.length === 0) return [];
  await wallet(env, companyId).revokeKeys(ids);
  const live = and(eq(apiKeys.companyId, companyId), isNull(apiKeys.revokedAt), inArray(apiKeys.id, ids));
  const [, revoked] = await db.batch([
    db
      .update(memberInvites)
      .set({ revokedAt: now })
      .where(
        and(
          eq(memberInvites.companyId, companyId),
          isNull(memberInvites.acceptedAt),
          isNull(memberInvites.revokedAt),
          inArray(memberInvites.invitedBy, db.select({ id: apiKeys.id }).from(apiKeys).where(live)),
        ),
      ),
    db.update(apiKeys).set({ revokedAt: now }).where(live).returning({ id: apiKeys.id }),
  ]);
  return revoked.map((row) => row.id);
}

/** Makes sure the platform company exists, for admin keys to belong to. */
export async function ensurePlatformCompany(db: Db): Promise<void> {
  await db
    .insert(companies)
    .values({
      id: PLATFORM_COMPANY_ID,
      name: "Tessera platform",
      isBuyer: false,
      isSeller: false,
      createdAt: Date.now(),
    })
    .onConflictDoNothing();
}

async function keyRow(companyId: string, name: string, scope: KeyScope, keySecret: string | undefined) {
  const secret = await newKeySecret("company", keySecret);
  const row = {
    id: newId("key"),
    companyId,
    name,
    prefix: keyPrefix(secret),
    hash: await hashKey(secret),
    scope,
    createdAt: Date.now(),
    revokedAt: null,
    memberId: null,
    createdBy: null,
  };
  const view: NewKey = { id: row.id, name, prefix: row.prefix, scope, memberId: null, secret, createdAt: row.createdAt };
  return { row, view };
}
