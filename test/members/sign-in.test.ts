import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS } from "../../src/members/password";
import { browser, clearOfMinuteBoundary, PASSWORD, signedUp, uniqueEmail } from "./browser";
import { expectCode, rest } from "../harness";

describe("members: sign-up and sign-in", () => {
  it("signs up a company and its admin, and the session acts for that company", async () => {
    const b = await signedUp({ isSeller: true });
    expect(b.member).toMatchObject({ role: "admin", email: b.email, companyId: b.company.id });
    expect(b.company).toMatchObject({ name: "Members Co", isBuyer: true, isSeller: true, billingEmail: b.email });
    expect(b.jar.get("tessera_session")).toMatch(/^[0-9A-Za-z]{43}$/);

    // companyProcedure accepts the session: the same company, full scope.
    expect((await b.api.companies.me.query()).id).toBe(b.company.id);
    expect((await b.api.credits.balance.query()).balanceCredits).toBe(0);
    const key = await b.api.keys.create.mutate({ name: "from the browser" });
    expect(key.scope).toBe("full");
    const me = await b.api.members.me.query();
    expect(me?.member.id).toBe(b.member.id);
  });

  it("sets an HttpOnly, SameSite=Lax, Secure cookie (not Secure on http://127.0.0.1)", async () => {
    const b = await signedUp();
    const line = b.setCookies.find((l) => l.startsWith("tessera_session="))!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Secure/);
    expect(line).toMatch(/Path=\//);

    const local = browser({ origin: "http://127.0.0.1:8787" });
    await local.api.members.signUp.mutate({ companyName: "Local Co", name: "Lou", email: uniqueEmail("local"), password: PASSWORD });
    const localLine = local.setCookies.find((l) => l.startsWith("tessera_session="))!;
    expect(localLine).toMatch(/HttpOnly/);
    expect(localLine).not.toMatch(/Secure/);
  });

  it("stores only a salted PBKDF2-SHA256 hash of at least 100,000 iterations", async () => {
    const one = await signedUp();
    const two = await signedUp();
    const rows = await env.DB.prepare("SELECT password_hash FROM members WHERE id IN (?, ?)").bind(one.member.id, two.member.id).all<{ password_hash: string }>();
    const hashes = rows.results.map((r) => r.password_hash);
    expect(hashes).toHaveLength(2);
    for (const hash of hashes) {
      expect(hash).not.toContain(PASSWORD);
      const [algorithm, iterations, salt] = hash.split("$");
      expect(algorithm).toBe("pbkdf2-sha256");
      expect(Number(iterations)).toBeGreaterThanOrEqual(100_000);
      expect(Number(iterations)).toBe(PBKDF2_ITERATIONS);
      expect(atob(salt!)).toHaveLength(16);
    }
    // Same password, different salts, different hashes.
    expect(hashes[0]).not.toBe(hashes[1]);
    // The session table holds a hash of the token, never the token.
    const token = one.jar.get("tessera_session")!;
    const stored = await env.DB.prepare("SELECT id FROM member_sessions WHERE member_id = ?").bind(one.member.id).all<{ id: string }>();
    expect(stored.results.map((r) => r.id)).not.toContain(token);
    expect(stored.results).toHaveLength(1);
  });

  it("signs in with the right password, case-insensitive e-mail", async () => {
    const first = await signedUp();
    const b = browser();
    const answer = await b.api.members.signIn.mutate({ email: first.email.toUpperCase(), password: PASSWORD });
    expect(answer.member.id).toBe(first.member.id);
    expect((await b.api.companies.me.query()).id).toBe(first.company.id);
  });

  it("refuses a wrong password and an unknown e-mail with the same answer, and sets no cookie", async () => {
    const first = await signedUp();
    const b = browser();
    await expectCode(b.api.members.signIn.mutate({ email: first.email, password: "wrong password!" }), "UNAUTHORIZED");
    const unknown = await b.api.members.signIn.mutate({ email: uniqueEmail("nobody"), password: PASSWORD }).catch((e: Error) => e);
    const wrong = await b.api.members.signIn.mutate({ email: first.email, password: "wrong password!" }).catch((e: Error) => e);
    expect((unknown as Error).message).toBe((wrong as Error).message);
    expect(b.jar.size).toBe(0);
    expect(await b.api.members.me.query()).toBeNull();
  });

  it("slows password guessing: after 10 attempts a minute on one e-mail, RATE_LIMITED, even with the right password", async () => {
    await clearOfMinuteBoundary();
    const target = await signedUp();
    const other = await signedUp();
    const b = browser();
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () => b.api.members.signIn.mutate({ email: target.email, password: "guess guess guess" }).catch((e: Error) => e)),
    );
    const codes = attempts.map((e) => (e as { data?: { code?: string } }).data?.code);
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(10);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(2);
    await expectCode(b.api.members.signIn.mutate({ email: target.email.toUpperCase(), password: PASSWORD }), "RATE_LIMITED");
    expect(b.jar.size).toBe(0);
    // Another person's sign-in is not affected.
    expect((await browser().api.members.signIn.mutate({ email: other.email, password: PASSWORD })).member.id).toBe(other.member.id);
  });

  it("refuses a taken e-mail, a short password, and a company that neither buys nor sells", async () => {
    const first = await signedUp();
    const b = browser();
    const base = { companyName: "Other Co", name: "Bo", password: PASSWORD };
    await expectCode(b.api.members.signUp.mutate({ ...base, email: first.email.toUpperCase() }), "CONFLICT");
    await expectCode(b.api.members.signUp.mutate({ ...base, email: uniqueEmail(), password: "short" }), "WEAK_PASSWORD");
    await expectCode(b.api.members.signUp.mutate({ ...base, email: uniqueEmail(), isBuyer: false, isSeller: false }), "BAD_REQUEST");
    expect(b.jar.size).toBe(0);
  });

  it("signs out: the cookie is cleared and the old token no longer works", async () => {
    const b = await signedUp();
    const stolen = b.cookie();
    await b.api.members.signOut.mutate();
    expect(b.jar.has("tessera_session")).toBe(false);
    expect(b.setCookies.at(-1)).toMatch(/Max-Age=0/);
    const replay = await rest("/trpc/companies.me", { headers: { cookie: stolen, "x-tessera-csrf": "1" } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.data.code).toBe("UNAUTHORIZED");
  });

  it("an expired session is refused", async () => {
    const b = await signedUp();
    await env.DB.prepare("UPDATE member_sessions SET expires_at = ? WHERE member_id = ?").bind(Date.now() - 1, b.member.id).run();
    await expectCode(b.api.companies.me.query(), "UNAUTHORIZED");
    expect(await b.api.members.me.query()).toBeNull();
  });

  it("an API key still works, and wins over a cookie", async () => {
    const seller = await signedUp();
    const other = await signedUp();
    const key = await other.api.keys.create.mutate({ name: "other's key" });
    const res = await rest("/trpc/companies.me", { key: key.secret, headers: { cookie: seller.cookie(), "x-tessera-csrf": "1" } });
    expect(res.status).toBe(200);
    expect(res.body.result.data.id).toBe(other.company.id);
  });
});
