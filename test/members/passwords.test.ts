import { describe, expect, it } from "vitest";
import { errorCode } from "../../client/src";
import { browser, PASSWORD, signedUp, uniqueEmail } from "./browser";
import { expectCode } from "../harness";

const WEAK = [
  " ".repeat(10),
  "aaaaaaaaaa",
  "0123456789",
  "qwertyuiop",
  "password123",
  "Password1!",
  "iloveyou2024",
  "1q2w3e4r5t",
  "tessera2024!",
];

async function signUpWith(password: string, person: { email?: string; name?: string; companyName?: string } = {}) {
  const b = browser();
  const error = await b.api.members.signUp
    .mutate({ companyName: person.companyName ?? "Acme Analytics", name: person.name ?? "Ada Acme", email: person.email ?? uniqueEmail("ada"), password })
    .then(
      () => undefined,
      (e: unknown) => e as Error,
    );
  return { error, signedIn: b.jar.has("tessera_session") };
}

describe("members: passwords must be hard to guess", () => {
  it("sign-up refuses short, repeated, sequential, keyboard and common passwords with WEAK_PASSWORD", async () => {
    for (const password of WEAK) {
      const { error, signedIn } = await signUpWith(password);
      expect(errorCode(error), JSON.stringify(password)).toBe("WEAK_PASSWORD");
      expect(signedIn).toBe(false);
    }
    const { error } = await signUpWith("short");
    expect(error?.message).toBe("A password needs at least 10 characters. Try four or five random words, or let a password manager make one.");
  });

  it("says why and what to do instead", async () => {
    const { error } = await signUpWith("password123");
    expect(error?.message).toMatch(/^This password is too easy to guess\. .*commonly used password.* Try four or five random words, or let a password manager make one\.$/);
  });

  it("refuses a password made of the person's own e-mail, name or company", async () => {
    const email = uniqueEmail("ada");
    for (const password of [`${email}!`, "Acme Analytics!", "acme analytics 2024"]) {
      const { error } = await signUpWith(password, { email, name: "Ada Acme", companyName: "Acme Analytics" });
      expect(errorCode(error), password).toBe("WEAK_PASSWORD");
      expect(error?.message, password).toMatch(/personal or page related data/);
    }
  });

  it("accepts a few random words", async () => {
    for (const password of [PASSWORD, "violet-otter-harbor-92", "maple lantern orbit"]) {
      const { error, signedIn } = await signUpWith(password);
      expect(error, password).toBeUndefined();
      expect(signedIn).toBe(true);
    }
  });

  it("accepting an invitation refuses a weak password and leaves the invitation open", async () => {
    const admin = await signedUp();
    const inv = await admin.api.members.invite.mutate({ email: uniqueEmail("invitee") });
    for (const password of ["aaaaaaaaaa", "Members Co 2024"]) {
      await expectCode(browser().api.members.acceptInvite.mutate({ token: inv.token, name: "Iris Invitee", password }), "WEAK_PASSWORD");
    }
    const b = browser();
    const accepted = await b.api.members.acceptInvite.mutate({ token: inv.token, name: "Iris Invitee", password: PASSWORD });
    expect(accepted.member.companyId).toBe(admin.company.id);
  });
});
