import { z } from "zod";
import { companyView } from "../companies/router";
import { getCompany } from "../companies/service";
import { listCursor, listInput, paged, timeAndId } from "../paging";
import { browserProcedure, companyProcedure, memberAdminProcedure, publicProcedure, router } from "../trpc/trpc";
import { readSessionToken } from "./cookies";
import { acceptInviteInput, inviteInput, inviteToken, signInInput, signUpInput } from "./schema";
import { hasCsrfHeader } from "./csrf";
import { limitSignIn } from "./limits";
import { clearSessionCookie, setSessionCookie } from "./procedures";
import { acceptInvite, invite, inviteInfo, listInvites, listMembers, memberView, normalizeEmail, removeMember, revokeInvite, signIn, signUpMember } from "./service";
import { createSession, endSession, findSession, type Member } from "./sessions";

const memberCursor = listCursor("members", timeAndId);
const inviteCursor = listCursor("invites", timeAndId);

/**
 * People of a company signing in to the admin with an e-mail and a password.
 * Sessions live in D1 (`member_sessions`) behind an HttpOnly cookie; see
 * src/members/README.md for the cookie and CSRF rules.
 */
export const membersRouter = router({
  /** A new company and its first member (an admin), signed in. */
  signUp: browserProcedure
    .input(signUpInput)
    .mutation(async ({ ctx, input }) => {
      const { company, member } = await signUpMember(ctx.db, input);
      await startSession(ctx, member);
      return { member: memberView(member), company: companyView(company) };
    }),

  signIn: browserProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    await limitSignIn(ctx.env, ctx.req, normalizeEmail(input.email));
    const member = await signIn(ctx.db, input.email, input.password);
    await startSession(ctx, member);
    return { member: memberView(member), company: companyView(await getCompany(ctx.db, member.companyId)) };
  }),

  signOut: browserProcedure.mutation(async ({ ctx }) => {
    const current = readSessionToken(ctx.req?.headers.get("cookie"));
    if (current) await endSession(ctx.db, current);
    clearSessionCookie(ctx);
    return { signedOut: true as const };
  }),

  /** The signed-in member and company, or null: the admin asks this first. */
  me: publicProcedure.query(async ({ ctx }) => {
    const current = readSessionToken(ctx.req?.headers.get("cookie"));
    if (!current || !ctx.req || !hasCsrfHeader(ctx.req.headers)) return null;
    const found = await findSession(ctx.db, current);
    if (!found) return null;
    return { member: memberView(found.member), company: companyView(await getCompany(ctx.db, found.member.companyId)), expiresAt: found.session.expiresAt };
  }),

  /** The company's people, longest-standing first. */
  list: companyProcedure.input(listInput({}, 50, 200)).query(({ ctx, input }) =>
    paged(input, memberCursor, (after, limit) => listMembers(ctx.db, ctx.caller.companyId, { limit, after }), (m) => [m.createdAt, m.id] as [number, string]),
  ),

  /** Invites an e-mail; the answer's token is shown once, for the invitation link. */
  invite: memberAdminProcedure
    .input(inviteInput)
    .mutation(({ ctx, input }) => invite(ctx.db, { companyId: ctx.caller.companyId, by: ctx.member?.id ?? ctx.caller.keyId }, input)),

  /** Open invitations, newest first. */
  invites: memberAdminProcedure.input(listInput({}, 50, 200)).query(({ ctx, input }) =>
    paged(input, inviteCursor, (after, limit) => listInvites(ctx.db, ctx.caller.companyId, { limit, after }), (i) => [i.createdAt, i.id] as [number, string]),
  ),

  revokeInvite: memberAdminProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    await revokeInvite(ctx.db, ctx.caller.companyId, input.id);
    return { id: input.id, revoked: true as const };
  }),

  remove: memberAdminProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    await removeMember(ctx, { companyId: ctx.caller.companyId, memberId: ctx.member?.id ?? null }, input.id);
    return { id: input.id, removed: true as const };
  }),

  /** Who invited whom, for the page where the invitation is accepted. */
  inviteInfo: publicProcedure.input(z.object({ token: inviteToken })).query(({ ctx, input }) => inviteInfo(ctx.db, input.token)),

  /** Becomes a member with the invited role, signed in. */
  acceptInvite: browserProcedure
    .input(acceptInviteInput)
    .mutation(async ({ ctx, input }) => {
      const member = await acceptInvite(ctx.db, input);
      await startSession(ctx, member);
      return { member: memberView(member), company: companyView(await getCompany(ctx.db, member.companyId)) };
    }),
});

async function startSession(ctx: Parameters<typeof setSessionCookie>[0], member: Member): Promise<void> {
  const { token } = await createSession(ctx.db, member);
  setSessionCookie(ctx, token);
}
