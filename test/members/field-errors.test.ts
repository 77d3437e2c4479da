import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorCode } from "../../client/src";
import { browser, PASSWORD, signedUp, uniqueEmail } from "./browser";

/** The field a refusal names in `details.issues`, as the admin's forms read it (client/src/app/components/forms.tsx). */
function issuesOf(error: unknown): { path: string; message: string }[] | undefined {
  return error instanceof TRPCClientError ? (error.data as { details?: { issues?: { path: string; message: string }[] } }).details?.issues : undefined;
}

async function signUp(input: { email: string; password: string }) {
  return browser()
    .api.members.signUp.mutate({ companyName: "Field Errors Ltd", name: "Fi Field", ...input })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
}

describe("members: a refusal about one field names it", () => {
  it("a weak password is WEAK_PASSWORD on `password`", async () => {
    const error = await signUp({ email: uniqueEmail("fi"), password: "short" });
    expect(errorCode(error)).toBe("WEAK_PASSWORD");
    expect(issuesOf(error)).toEqual([{ path: "password", message: (error as Error).message }]);
  });

  it("an e-mail that has an account is CONFLICT on `email`", async () => {
    const email = uniqueEmail("fi");
    expect(await signUp({ email, password: PASSWORD })).toBeUndefined();
    const error = await signUp({ email, password: PASSWORD });
    expect(errorCode(error)).toBe("CONFLICT");
    expect(issuesOf(error)).toEqual([{ path: "email", message: "That e-mail already has an account. Sign in instead." }]);
  });

  it("a schema refusal names its field the same way", async () => {
    const error = await signUp({ email: "not an e-mail", password: PASSWORD });
    expect(errorCode(error)).toBe("BAD_REQUEST");
    expect(issuesOf(error)?.map((i) => i.path)).toEqual(["email"]);
  });

  it("inviting an e-mail that has an account is CONFLICT on `email`", async () => {
    const admin = await signedUp();
    const other = await signedUp();
    const error = await admin.api.members.invite.mutate({ email: other.email }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorCode(error)).toBe("CONFLICT");
    expect(issuesOf(error)).toEqual([{ path: "email", message: `${other.email} already has an account.` }]);
  });
});
