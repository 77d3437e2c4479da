import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db";
import { apiKeys, companies, type KeyScope } from "../db/schema";
import { TesseraError } from "../errors";
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
  /** Shown once, never stored. */
  secret: string;
  createdAt: number;
}

export interface SignUp {
  name: string;
  isBuyer: boolean;
  isSeller: boolean;
  billingEmail?: string | undefined;
}

/** Creates a company and its first full-scope API key. */
export async function signUp(db: Db, input: SignUp): Promise<{ company: Company; apiKey: NewKey }> {
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
  const key = await keyRow(company.id, "Default key", "full");
  await db.batch([db.insert(companies).values(company), db.insert(apiKeys).values(key.row)]);
  return { company, apiKey: key.view };
}

export async function getCompany(db: Db, id: string): Promise<Company> {
  const company = await db.query.companies.findFirst({ where: eq(companies.id, id) });
  if (!company) throw new TesseraError("NOT_FOUND", `No company ${id}.`);
  return company;
}

export async function listCompanies(db: Db, { limit, offset }: { limit: number; offset: number }) {
  return db.select().from(companies).orderBy(desc(companies.createdAt)).limit(limit).offset(offset);
}

export async function updateCompany(
  db: Db,
  id: string,
  patch: Partial<Pick<Company, "name" | "billingEmail" | "isBuyer" | "isSeller">>,
): Promise<Company> {
  const [row] = await db.update(companies).set(patch).where(eq(companies.id, id)).returning();
  if (!row) throw new TesseraError("NOT_FOUND", `No company ${id}.`);
  return row;
}

export async function createKey(db: Db, companyId: string, name: string, scope: KeyScope): Promise<NewKey> {
  const key = await keyRow(companyId, name, scope);
  await db.insert(apiKeys).values(key.row);
  return key.view;
}

/** Keys of a company, newest first, without their hashes. */
export async function listKeys(db: Db, companyId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scope: apiKeys.scope,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.companyId, companyId))
    .orderBy(desc(apiKeys.createdAt));
}

/**
 * Revokes one of the company's keys; it stops working on the next request.
 * The company's wallet is told first: metered calls ask it, not D1.
 */
export async function revokeKey(env: Env, db: Db, companyId: string, keyId: string): Promise<void> {
  const existing = await db.query.apiKeys.findFirst({
    where: and(eq(apiKeys.id, keyId), eq(apiKeys.companyId, companyId)),
    columns: { id: true, revokedAt: true },
  });
  if (!existing) throw new TesseraError("NOT_FOUND", `No key ${keyId}.`);
  await wallet(env, companyId).revokeKey(keyId);
  // Already revoked: revoking again changes nothing.
  await db.update(apiKeys).set({ revokedAt: Date.now() }).where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
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

async function keyRow(companyId: string, name: string, scope: KeyScope) {
  const secret = newKeySecret("company");
  const row = {
    id: newId("key"),
    companyId,
    name,
    prefix: keyPrefix(secret),
    hash: await hashKey(secret),
    scope,
    createdAt: Date.now(),
    revokedAt: null,
  };
  const view: NewKey = { id: row.id, name, prefix: row.prefix, scope, secret, createdAt: row.createdAt };
  return { row, view };
}
