import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createKey } from "../../src/companies/service";
import { createDb } from "../../src/db";
import { browser, PASSWORD, signedUp, uniqueEmail } from "./browser";
import { h, adminKey, client, expectCode } from "../harness";

/** A company with a signed-in admin and a signed-in plain member. */
async function team() {
  const admin = await signedUp();
  const inv = await admin.api.members.invite.mutate({ email: uniqueEmail("member"), role: "member" });
  const member = browser();
  const { member: person } = await member.api.members.acceptInvite.mutate({ token: inv.token, name: "Mo Member", password: PASSWORD });
  return { admin, member, person };
}

describe("members: a key never has more power than whoever made it", () => {
  it("a member can't make a key with more power than a member", async () => {
    const { member } = await team();
    await expectCode(member.api.keys.create.mutate({ name: "escalate", scope: "company_admin" }), "FORBIDDEN");
    // @ts-expect-error: platform admin keys come only from admin.bootstrap
    await expectCode(member.api.keys.create.mutate({ name: "escalate", scope: "admin" }), "BAD_REQUEST");
    const full = client((await member.api.keys.create.mutate({ name: "mine", scope: "full" })).secret);
    await expectCode(full.keys.create.mutate({ name: "escalate again", scope: "company_admin" }), "FORBIDDEN");
    expect((await member.api.keys.list.query()).items.map((k) => k.scope)).toEqual(["full"]);
  });

  it("a member's keys can't manage people: no invitations, no removals", async () => {
    const { admin, member, person } = await team();
    const key = client((await member.api.keys.create.mutate({ name: "mine" })).secret);
    const chained = client((await key.keys.create.mutate({ name: "made by my key" })).secret);
    for (const api of [member.api, key, chained]) {
      await expectCode(api.members.invite.mutate({ email: uniqueEmail("accomplice"), role: "admin" }), "FORBIDDEN");
      await expectCode(api.members.invite.mutate({ email: uniqueEmail("accomplice"), role: "member" }), "FORBIDDEN");
      await expectCode(api.members.invites.query(), "FORBIDDEN");
      await expectCode(api.members.remove.mutate({ id: admin.member.id }), "FORBIDDEN");
    }
    const pending = await admin.api.members.invite.mutate({ email: uniqueEmail("pending") });
    await expectCode(key.members.revokeInvite.mutate({ id: pending.id }), "FORBIDDEN");
    expect((await admin.api.members.list.query()).items.map((m) => m.id).sort()).toEqual([admin.member.id, person.id].sort());
    expect((await admin.api.members.invites.query()).items.map((i) => i.id)).toEqual([pending.id]);
  });

  it("a member can't revoke a company admin key", async () => {
    const { admin, member } = await team();
    const adminOnly = await admin.api.keys.create.mutate({ name: "ops", scope: "company_admin" });
    await expectCode(member.api.keys.revoke.mutate({ id: adminOnly.id }), "FORBIDDEN");
    await client(adminOnly.secret).members.invites.query();
  });

  it("removing a member revokes every key they made, directly or through their keys, and nothing else", async () => {
    const { admin, member, person } = await team();
    const direct = await member.api.keys.create.mutate({ name: "direct", scope: "full" });
    const reader = await member.api.keys.create.mutate({ name: "reader", scope: "read" });
    const chained = await client(direct.secret).keys.create.mutate({ name: "chained" });
    expect([direct.memberId, reader.memberId, chained.memberId]).toEqual([person.id, person.id, person.id]);
    const adminsKey = await admin.api.keys.create.mutate({ name: "admin's", scope: "full" });
    for (const k of [direct, reader, chained]) await client(k.secret).companies.me.query();

    await admin.api.members.remove.mutate({ id: person.id });

    for (const k of [direct, reader, chained]) await expectCode(client(k.secret).companies.me.query(), "KEY_REVOKED");
    await expectCode(member.api.companies.me.query(), "UNAUTHORIZED");
    await expectCode(client(direct.secret).keys.create.mutate({ name: "one more" }), "KEY_REVOKED");
    expect((await client(adminsKey.secret).companies.me.query()).id).toBe(admin.company.id);
    const listed = (await admin.api.keys.list.query()).items;
    expect(listed.filter((k) => k.revokedAt !== null).map((k) => k.id).sort()).toEqual([direct.id, reader.id, chained.id].sort());
    expect(listed.find((k) => k.id === chained.id)).toMatchObject({ memberId: person.id, memberName: "Mo Member", createdBy: direct.id });
    // Removing again is harmless.
    await admin.api.members.remove.mutate({ id: person.id });
  });

  it("an admin's company admin keys and open invitations go with them when they are removed", async () => {
    const first = await signedUp();
    const inv = await first.api.members.invite.mutate({ email: uniqueEmail("second"), role: "admin" });
    const second = browser();
    const { member: secondAdmin } = await second.api.members.acceptInvite.mutate({ token: inv.token, name: "Sam Second", password: PASSWORD });
    const ops = await second.api.keys.create.mutate({ name: "ops", scope: "company_admin" });
    const fromOps = await client(ops.secret).keys.create.mutate({ name: "from ops" });
    // Before leaving, the admin invites a second address of their own, once by session and once by key.
    const bySession = await second.api.members.invite.mutate({ email: uniqueEmail("alt"), role: "admin" });
    const byKey = await client(ops.secret).members.invite.mutate({ email: uniqueEmail("alt"), role: "admin" });

    await first.api.members.remove.mutate({ id: secondAdmin.id });

    await expectCode(client(ops.secret).members.invites.query(), "KEY_REVOKED");
    await expectCode(client(fromOps.secret).companies.me.query(), "KEY_REVOKED");
    for (const open of [bySession, byKey]) {
      await expectCode(browser().api.members.acceptInvite.mutate({ token: open.token, name: "Back Again", password: PASSWORD }), "NOT_FOUND");
    }
    expect((await first.api.members.invites.query()).items).toEqual([]);
  });

  it("the sign-up key is a company admin key; the keys it makes belong to the company and survive anyone's removal", async () => {
    const { api } = await h.buyer({ name: "API-made Co" });
    const companyKey = await api.keys.create.mutate({ name: "company ops", scope: "company_admin" });
    expect(companyKey.memberId).toBeNull();
    const inv = await api.members.invite.mutate({ email: uniqueEmail("person"), role: "admin" });
    const person = browser();
    const { member } = await person.api.members.acceptInvite.mutate({ token: inv.token, name: "Pat", password: PASSWORD });
    await api.members.remove.mutate({ id: member.id });
    await client(companyKey.secret).members.invites.query();
  });

  it("a platform admin key is no company admin", async () => {
    const platform = client(await adminKey());
    await expectCode(platform.keys.create.mutate({ name: "x", scope: "company_admin" }), "FORBIDDEN");
    await expectCode(platform.members.invite.mutate({ email: uniqueEmail() }), "FORBIDDEN");
  });

  it("a key is not made for a maker removed or revoked at that very moment", async () => {
    const { admin, member, person } = await team();
    const key = await member.api.keys.create.mutate({ name: "mine" });
    await admin.api.members.remove.mutate({ id: person.id });
    // As a request that passed its sign-in check just before the removal would insert it.
    const db = createDb(env.DB);
    await expect(createKey(db, admin.company.id, "late", "full", { memberId: person.id }, env.KEY_SECRET)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(createKey(db, admin.company.id, "late", "full", { keyId: key.id }, env.KEY_SECRET)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await admin.api.keys.list.query()).items.map((k) => k.name)).toEqual(["mine"]);
  });
});
