import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { companies } from "./companies";

/** admin: everything a member can do, plus inviting and removing members. member: buys, sells, manages products. */
export const memberRoles = ["admin", "member"] as const;
export type MemberRole = (typeof memberRoles)[number];

/**
 * People who sign in to the admin with an e-mail and a password. Each belongs
 * to one company; an e-mail signs in to one company only.
 * The password is stored as PBKDF2-SHA256 (`pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`).
 */
export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull().references(() => companies.id),
    /** Lower-cased on the way in, so the unique index is case-insensitive. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: memberRoles }).notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    removedAt: integer("removed_at"),
  },
  (t) => [
    // A removed member's e-mail can be invited again.
    uniqueIndex("members_email").on(t.email).where(sql`removed_at IS NULL`),
    index("members_company").on(t.companyId),
  ],
);

/**
 * Signed-in browsers. The cookie carries a random token; only its SHA-256 is
 * stored, so a leaked table signs nobody in. A session past `expires_at` is dead.
 */
export const memberSessions = sqliteTable(
  "member_sessions",
  {
    /** SHA-256 (hex) of the cookie's token. */
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull().references(() => members.id),
    companyId: text("company_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("member_sessions_member").on(t.memberId)],
);

/** A company admin's invitation: the token (only its hash is stored) is accepted once, with a password. */
export const memberInvites = sqliteTable(
  "member_invites",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull().references(() => companies.id),
    email: text("email").notNull(),
    role: text("role", { enum: memberRoles }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    uniqueIndex("member_invites_token").on(t.tokenHash),
    index("member_invites_company").on(t.companyId),
    // One open invitation per (company, e-mail): inviting again replaces it.
    uniqueIndex("member_invites_open").on(t.companyId, t.email).where(sql`accepted_at IS NULL AND revoked_at IS NULL`),
  ],
);
