import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { hashKey } from "../auth/keys";
import { revokeKeys, type Company } from "../companies/service";
import type { Db } from "../db";
import { companies, memberInvites, members, memberSessions, type MemberRole } from "../db/schema";
import { fieldError, TesseraError } from "../errors";
import { pastKey } from "../paging";
import { newId, randomToken } from "../ids";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";
import type { Member } from "./sessions";
import { checkPasswordStrength } from "./strength";
import type { Services } from "../services";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function emailTaken(db: Db, email: string): Promise<boolean> {
  return (await db.query.members.findFirst({ where: and(eq(members.email, email), isNull(members.removedAt)), columns: { id: true } })) !== undefined;
}

function takenError(): TesseraError {
  return fieldError("CONFLICT", "email", "That e-mail already has an account. Sign in instead.");
}

/** A unique-index refusal from D1 means someone took the e-mail at the same moment. */
function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { cause?: unknown })?.cause ?? error);
  return /UNIQUE constraint failed/i.test(text);
}

export interface MemberSignUp {
  companyName: string;
  isBuyer: boolean;
  isSeller: boolean;
  billingEmail?: string | undefined;
  name: string;
  email: string;
  password: string;
}

/** Creates a company and its first member (an admin) in one batch: both or neither. */
export async function signUpMember(db: Db, input: MemberSignUp): Promise<{ company: Company; member: Member }> {
  if (!input.isBuyer && !input.isSeller) throw new TesseraError("BAD_REQUEST", "A company must be a buyer, a seller, or both.");
  const email = normalizeEmail(input.email);
  await checkPasswordStrength(input.password, [email, input.name, input.companyName]);
  if (await emailTaken(db, email)) throw takenError();
  const now = Date.now();
  const company: Company = {
    id: newId("co"),
    name: input.companyName,
    isBuyer: input.isBuyer,
    isSeller: input.isSeller,
    billingEmail: input.billingEmail ?? email,
    canSell: false,
    createdAt: now,
  };
  const member: Member = {
    id: newId("mem"),
    companyId: company.id,
    email,
    name: input.name,
    role: "admin",
    passwordHash: await hashPassword(input.password),
    createdAt: now,
    removedAt: null,
  };
  try {
    await db.batch([db.insert(companies).values(company), db.insert(members).values(member)]);
  } catch (error) {
    if (isUniqueViolation(error)) throw takenError();
    throw error;
  }
  return { company, member };
}

/** The member with this e-mail and password, or UNAUTHORIZED (the same answer whichever was wrong). */
export async function signIn(db: Db, emailInput: string, password: string): Promise<Member> {
  const member = await db.query.members.findFirst({ where: and(eq(members.email, normalizeEmail(emailInput)), isNull(members.removedAt)) });
  if (!member) {
    await burnPasswordCheck(password);
  } else if (await verifyPassword(password, member.passwordHash)) {
    return member;
  }
  throw new TesseraError("UNAUTHORIZED", "Wrong e-mail or password.");
}

export function memberView(member: Member) {
  return { id: member.id, companyId: member.companyId, email: member.email, name: member.name, role: member.role, createdAt: member.createdAt };
}

/** Oldest first; page on `after` the last one's [createdAt, id]. */
export async function listMembers(db: Db, companyId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  const rows = await db
    .select()
    .from(members)
    .where(and(eq(members.companyId, companyId), isNull(members.removedAt), pastKey("asc", [members.createdAt, members.id], page.after)))
    .orderBy(members.createdAt, members.id)
    .limit(page.limit);
  return rows.map(memberView);
}

/**
 * Invites an e-mail to the company. The token is returned once (for the
 * invitation link) and stored only as a hash. Inviting the same e-mail again
 * replaces the open invitation.
 */
export async function invite(db: Db, by: { companyId: string; by: string }, input: { email: string; role: MemberRole }, now = Date.now()) {
  const email = normalizeEmail(input.email);
  if (await emailTaken(db, email)) throw fieldError("CONFLICT", "email", `${email} already has an account.`);
  const token = randomToken(43);
  const row = {
    id: newId("inv"),
    companyId: by.companyId,
    email,
    role: input.role,
    tokenHash: await hashKey(token),
    invitedBy: by.by,
    createdAt: now,
    expiresAt: now + INVITE_TTL_MS,
  };
  await db.batch([
    db
      .update(memberInvites)
      .set({ revokedAt: now })
      .where(and(eq(memberInvites.companyId, by.companyId), eq(memberInvites.email, email), isNull(memberInvites.acceptedAt), isNull(memberInvites.revokedAt))),
    db.insert(memberInvites).values(row),
  ]);
  return { id: row.id, email, role: row.role, expiresAt: row.expiresAt, token };
}

/** The company's invitations not yet accepted or revoked, newest first; page on `after` the last [createdAt, id]. */
export async function listInvites(db: Db, companyId: string, page: { limit: number; after?: readonly [number, string] | undefined }) {
  return db
    .select({ id: memberInvites.id, email: memberInvites.email, role: memberInvites.role, createdAt: memberInvites.createdAt, expiresAt: memberInvites.expiresAt })
    .from(memberInvites)
    .where(
      and(
        eq(memberInvites.companyId, companyId),
        isNull(memberInvites.acceptedAt),
        isNull(memberInvites.revokedAt),
        pastKey("desc", [memberInvites.createdAt, memberInvites.id], page.after),
      ),
    )
    .orderBy(desc(memberInvites.createdAt), desc(memberInvites.id))
    .limit(page.limit);
}

export async function revokeInvite(db: Db, companyId: string, id: string): Promise<void> {
  const [row] = await db
    .update(memberInvites)
    .set({ revokedAt: Date.now() })
    .where(and(eq(memberInvites.id, id), eq(memberInvites.companyId, companyId), isNull(memberInvites.acceptedAt)))
    .returning({ id: memberInvites.id });
  if (!row) throw new TesseraError("NOT_FOUND", `No open invitation ${id}.`);
}

async function openInvite(db: Db, token: string, now: number) {
  const row = await db
    .select({ invite: memberInvites, companyName: companies.name })
    .from(memberInvites)
    .innerJoin(companies, eq(companies.id, memberInvites.companyId))
    .where(
      and(
        eq(memberInvites.tokenHash, await hashKey(token)),
        isNull(memberInvites.acceptedAt),
        isNull(memberInvites.revokedAt),
        gt(memberInvites.expiresAt, now),
      ),
    )
    .get();
  if (!row) throw new TesseraError("NOT_FOUND", "This invitation is not valid any more. Ask your company admin for a new one.");
  return row;
}

/** What the invitation page shows before the person picks a password. */
export async function inviteInfo(db: Db, token: string, now = Date.now()) {
  const { invite: row, companyName } = await openInvite(db, token, now);
  return { email: row.email, role: row.role, companyName, expiresAt: row.expiresAt };
}

/** Accepts an invitation once: the person becomes a member with the invited role. */
export async function acceptInvite(db: Db, input: { token: string; name: string; password: string }, now = Date.now()): Promise<Member> {
  const { invite: row, companyName } = await openInvite(db, input.token, now);
  await checkPasswordStrength(input.password, [row.email, input.name, companyName]);
  if (await emailTaken(db, row.email)) throw new TesseraError("CONFLICT", `${row.email} already has an account. Sign in instead.`);
  const passwordHash = await hashPassword(input.password);
  // Claim the invitation first: of two accepts at once, one wins.
  const [claimed] = await db
    .update(memberInvites)
    .set({ acceptedAt: now })
    .where(and(eq(memberInvites.id, row.id), isNull(memberInvites.acceptedAt), isNull(memberInvites.revokedAt)))
    .returning({ id: memberInvites.id });
  if (!claimed) throw new TesseraError("CONFLICT", "This invitation was just used.");
  const member: Member = {
    id: newId("mem"),
    companyId: row.companyId,
    email: row.email,
    name: input.name,
    role: row.role,
    passwordHash,
    createdAt: now,
    removedAt: null,
  };
  try {
    await db.insert(members).values(member);
  } catch (error) {
    await db.update(memberInvites).set({ acceptedAt: null }).where(eq(memberInvites.id, row.id));
    if (isUniqueViolation(error)) throw takenError();
    throw error;
  }
  return member;
}

/**
 * Removes a member of the company: their sessions end, the invitations they
 * sent and nobody accepted yet are withdrawn, and the API keys they own are
 * revoked, all effective on the next request. An admin can't remove themself.
 * Removing a removed member again only repeats the revocation, so a removal
 * cut short can be retried.
 */
export async function removeMember(s: Services, by: { companyId: string; memberId: string | null }, memberId: string, now = Date.now()): Promise<void> {
  const { db } = s;
  if (memberId === by.memberId) throw new TesseraError("BAD_REQUEST", "You can't remove yourself; ask another admin.");
  const member = await db.query.members.findFirst({
    where: and(eq(members.id, memberId), eq(members.companyId, by.companyId)),
    columns: { removedAt: true },
  });
  if (!member) throw new TesseraError("NOT_FOUND", `No member ${memberId}.`);
  if (member.removedAt === null) {
    await db.batch([
      db.update(members).set({ removedAt: now }).where(and(eq(members.id, memberId), isNull(members.removedAt))),
      db.delete(memberSessions).where(eq(memberSessions.memberId, memberId)),
      db
        .update(memberInvites)
        .set({ revokedAt: now })
        .where(and(eq(memberInvites.companyId, by.companyId), eq(memberInvites.invitedBy, memberId), isNull(memberInvites.acceptedAt), isNull(memberInvites.revokedAt))),
    ]);
  }
  // After the removal: a key being made right now either exists already, or
  // is refused because its maker is gone (createKey).
  await revokeKeys(s, by.companyId, { memberId }, now);
}
