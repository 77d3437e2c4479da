import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { browser, PASSWORD, signedUp, uniqueEmail } from "./browser";
import { h, adminKey, client, expectCode } from "../harness";

async function invited(role: "admin" | "member" = "member") {
  const admin = await signedUp();
  const email = uniqueEmail("invitee");
  const inv = await admin.api.members.invite.mutate({ email, role });
  return { admin, email, inv };
}

describe("members: invitations", () => {
  it("an admin invites; the invitee accepts with a password and acts for the company", async () => {
    const { admin, email, inv } = await invited();
    expect(inv.token).toMatch(/^[0-9A-Za-z]{43}$/);
    expect((await admin.api.members.invites.query()).items.map((i) => i.email)).toEqual([email]);

    const b = browser();
    const info = await b.api.members.inviteInfo.query({ token: inv.token });
    expect(info).toMatchObject({ email, role: "member", companyName: "Members Co" });

    const accepted = await b.api.members.acceptInvite.mutate({ token: inv.token, name: "Iris Invitee", password: PASSWORD });
    expect(accepted.member).toMatchObject({ email, role: "member", companyId: admin.company.id });
    expect((await b.api.companies.me.query()).id).toBe(admin.company.id);
    expect((await admin.api.members.list.query()).items.map((m) => m.email).sort()).toEqual([admin.email, email].sort());
    expect((await admin.api.members.invites.query()).items).toHaveLength(0);

    // And can sign in later.
    const later = browser();
    await later.api.members.signIn.mutate({ email, password: PASSWORD });
    expect((await later.api.companies.me.query()).id).toBe(admin.company.id);
  });

  it("an invitation works once", async () => {
    const { inv } = await invited();
    await browser().api.members.acceptInvite.mutate({ token: inv.token, name: "First", password: PASSWORD });
    await expectCode(browser().api.members.acceptInvite.mutate({ token: inv.token, name: "Second", password: PASSWORD }), "NOT_FOUND");
  });

  it("an expired, revoked or replaced invitation is refused", async () => {
    const { admin, email, inv } = await invited();
    await env.DB.prepare("UPDATE member_invites SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, inv.id).run();
    await expectCode(browser().api.members.inviteInfo.query({ token: inv.token }), "NOT_FOUND");

    const again = await admin.api.members.invite.mutate({ email, role: "member" });
    const third = await admin.api.members.invite.mutate({ email, role: "admin" });
    await expectCode(browser().api.members.acceptInvite.mutate({ token: again.token, name: "Old", password: PASSWORD }), "NOT_FOUND");
    await admin.api.members.revokeInvite.mutate({ id: third.id });
    await expectCode(browser().api.members.acceptInvite.mutate({ token: third.token, name: "Revoked", password: PASSWORD }), "NOT_FOUND");
  });

  it("only admins invite: a member can't, nor can a read-only key", async () => {
    const { admin, inv } = await invited("member");
    const member = browser();
    await member.api.members.acceptInvite.mutate({ token: inv.token, name: "Mo", password: PASSWORD });
    await expectCode(member.api.members.invite.mutate({ email: uniqueEmail() }), "FORBIDDEN");
    await expectCode(member.api.members.remove.mutate({ id: admin.member.id }), "FORBIDDEN");

    const readKey = await admin.api.keys.create.mutate({ name: "reporting", scope: "read" });
    await expectCode(client(readKey.secret).members.invite.mutate({ email: uniqueEmail() }), "FORBIDDEN");
    await expectCode(client(await adminKey()).members.invite.mutate({ email: uniqueEmail() }), "FORBIDDEN");
    await expectCode(client().members.invite.mutate({ email: uniqueEmail() }), "UNAUTHORIZED");
  });

  it("a company made through the API invites its first person with its key", async () => {
    const { company, api } = await h.buyer({ name: "API-made Co" });
    const email = uniqueEmail("first");
    const inv = await api.members.invite.mutate({ email, role: "admin" });
    expect((await api.members.invites.query()).items.map((i) => i.id)).toEqual([inv.id]);
    const person = browser();
    const accepted = await person.api.members.acceptInvite.mutate({ token: inv.token, name: "First Person", password: PASSWORD });
    expect(accepted.member).toMatchObject({ role: "admin", companyId: company.id });
    expect((await person.api.companies.me.query()).id).toBe(company.id);
    // The new admin can invite in turn.
    await person.api.members.invite.mutate({ email: uniqueEmail() });
    expect((await api.members.list.query()).items).toHaveLength(1);
  });

  it("an e-mail that already has an account can't be invited", async () => {
    const admin = await signedUp();
    const other = await signedUp();
    await expectCode(admin.api.members.invite.mutate({ email: other.email }), "CONFLICT");
  });

  it("another company's admin can't revoke the invitation or remove the member", async () => {
    const { admin, inv } = await invited();
    const member = browser();
    const accepted = await member.api.members.acceptInvite.mutate({ token: inv.token, name: "Mo", password: PASSWORD });
    const intruder = await signedUp();
    const pending = await admin.api.members.invite.mutate({ email: uniqueEmail() });
    await expectCode(intruder.api.members.revokeInvite.mutate({ id: pending.id }), "NOT_FOUND");
    await expectCode(intruder.api.members.remove.mutate({ id: accepted.member.id }), "NOT_FOUND");
    expect((await intruder.api.members.list.query()).items).toHaveLength(1);
  });

  it("removing a member ends their sessions at once; an admin can't remove themself", async () => {
    const { admin, inv } = await invited();
    const member = browser();
    const accepted = await member.api.members.acceptInvite.mutate({ token: inv.token, name: "Mo", password: PASSWORD });
    await expectCode(admin.api.members.remove.mutate({ id: admin.member.id }), "BAD_REQUEST");
    await admin.api.members.remove.mutate({ id: accepted.member.id });
    await expectCode(member.api.companies.me.query(), "UNAUTHORIZED");
    await expectCode(browser().api.members.signIn.mutate({ email: accepted.member.email, password: PASSWORD }), "UNAUTHORIZED");
  });
});

describe("members: addMember (the client helper scripts use)", () => {
  it("gives an API-made company a person who can sign in, once", async () => {
    const { addMember } = await import("../../client/src/members");
    const { workerFetch, BASE } = await import("../harness");
    const { company, key } = await h.buyer({ name: "Seeded Co" });
    const person = { email: uniqueEmail("seeded"), name: "Seeded Person", password: PASSWORD };
    expect(await addMember(BASE, key, person, workerFetch)).toBe("added");
    expect(await addMember(BASE, key, person, workerFetch)).toBe("exists");
    const b = browser();
    await b.api.members.signIn.mutate({ email: person.email, password: PASSWORD });
    expect((await b.api.companies.me.query()).id).toBe(company.id);
  });
});
