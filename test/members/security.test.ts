import { describe, expect, it } from "vitest";
import { browser, PASSWORD, signedUp, uniqueEmail } from "./browser";
import { expectCode, rest } from "../harness";

describe("members: CSRF and isolation", () => {
  it("a session cookie without the CSRF header acts for nobody", async () => {
    const b = await signedUp();
    const noHeader = browser({ csrf: false });
    for (const [k, v] of b.jar) noHeader.jar.set(k, v);
    await expectCode(noHeader.api.companies.me.query(), "UNAUTHORIZED");
    await expectCode(noHeader.api.keys.create.mutate({ name: "forged" }), "UNAUTHORIZED");
    expect(await noHeader.api.members.me.query()).toBeNull();
    // As a cross-site form would send it: a plain POST with only the cookie.
    const forged = await rest("/trpc/keys.create", {
      method: "POST",
      headers: { cookie: b.cookie(), "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ name: "forged" }),
    });
    expect(forged.status).toBe(401);
    expect((await b.api.keys.list.query()).items).toHaveLength(0);
  });

  it("sign-in and sign-up need the CSRF header (no login CSRF)", async () => {
    const first = await signedUp();
    const b = browser({ csrf: false });
    await expectCode(b.api.members.signIn.mutate({ email: first.email, password: PASSWORD }), "FORBIDDEN");
    await expectCode(b.api.members.signUp.mutate({ companyName: "X Co", name: "X", email: uniqueEmail(), password: PASSWORD }), "FORBIDDEN");
    expect(b.jar.size).toBe(0);
  });

  it("a made-up session token is refused", async () => {
    const res = await rest("/trpc/companies.me", { headers: { cookie: `tessera_session=${"A".repeat(43)}`, "x-tessera-csrf": "1" } });
    expect(res.status).toBe(401);
  });

  it("no CORS: the worker grants no cross-origin preflight", async () => {
    const res = await rest("/trpc/keys.create", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "x-tessera-csrf" },
    }).catch(() => ({ status: 0, headers: new Headers() }));
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
