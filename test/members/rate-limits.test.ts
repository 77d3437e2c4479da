import { describe, expect, it } from "vitest";
import { errorCode } from "../../client/src";
import { browser, clearOfMinuteBoundary, PASSWORD, signedUp, uniqueAddress, uniqueEmail } from "./browser";
import { expectCode } from "../harness";

describe("members: sign-in is limited per client as well as per e-mail", () => {
  it("after 20 attempts a minute from one address, whatever the e-mails, RATE_LIMITED, even with the right password", async () => {
    await clearOfMinuteBoundary();
    const target = await signedUp();
    const address = uniqueAddress();
    const sprayer = browser({ address });
    const attempts = await Promise.all(
      Array.from({ length: 23 }, () => sprayer.api.members.signIn.mutate({ email: uniqueEmail("sprayed"), password: "guess guess guess" }).catch((e: unknown) => e)),
    );
    const codes = attempts.map(errorCode);
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(20);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(3);
    // Another browser at the same address is the same client.
    await expectCode(browser({ address }).api.members.signIn.mutate({ email: target.email, password: PASSWORD }), "RATE_LIMITED");
    expect(sprayer.jar.size).toBe(0);
  });

  it("attempts refused for the client don't spend the e-mail's count", async () => {
    await clearOfMinuteBoundary();
    const target = await signedUp();
    const sprayer = browser({ address: uniqueAddress() });
    await Promise.all(Array.from({ length: 20 }, () => sprayer.api.members.signIn.mutate({ email: uniqueEmail("sprayed"), password: "guess guess guess" }).catch(() => undefined)));
    for (let i = 0; i < 12; i += 1) {
      await expectCode(sprayer.api.members.signIn.mutate({ email: target.email, password: "guess guess guess" }), "RATE_LIMITED");
    }
    // From its own address the person signs in: the sprayer never reached their e-mail's count.
    expect((await browser().api.members.signIn.mutate({ email: target.email, password: PASSWORD })).member.id).toBe(target.member.id);
  });
});
