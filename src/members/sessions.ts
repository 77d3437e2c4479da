import { and, eq, gt, isNull, lte } from "drizzle-orm";
import { hashKey } from "../auth/keys";
import type { Db } from "../db";
import { members, memberSessions } from "../db/schema";
import { randomToken } from "../ids";
import { SESSION_TTL_MS } from "./cookies";

export type Member = typeof members.$inferSelect;

/** Starts a session for `member`; the returned token goes in the cookie and nowhere else. */
export async function createSession(db: Db, member: Member, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const token = randomToken(43);
  const expiresAt = now + SESSION_TTL_MS;
  // Sign-in is a good moment to forget this member's dead sessions.
  await db.batch([
    db.delete(memberSessions).where(and(eq(memberSessions.memberId, member.id), lte(memberSessions.expiresAt, now))),
    db.insert(memberSessions).values({ id: await hashKey(token), memberId: member.id, companyId: member.companyId, createdAt: now, expiresAt }),
  ]);
  return { token, expiresAt };
}

/** The live session behind a cookie token, with its member; undefined when expired, ended or the member was removed. */
export async function findSession(db: Db, token: string, now = Date.now()) {
  const row = await db
    .select({ session: memberSessions, member: members })
    .from(memberSessions)
    .innerJoin(members, eq(members.id, memberSessions.memberId))
    .where(and(eq(memberSessions.id, await hashKey(token)), gt(memberSessions.expiresAt, now), isNull(members.removedAt)))
    .get();
  return row ?? undefined;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(memberSessions).where(eq(memberSessions.id, await hashKey(token)));
}
