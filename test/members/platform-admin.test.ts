/**
 * Tessera's own staff sign in to the admin: an admin of the platform company
 * (invited by a platform admin) acts as a platform admin. Who else may not:
 * platform-admin-security.test.ts.
 */
import { describe, expect, it } from "vitest";
import { adminKey, client } from "../harness";
import { browser, PASSWORD, uniqueEmail } from "./browser";

async function platformAdmin() {
  const ops = client(await adminKey());
  const inv = await ops.admin.inviteStaff.mutate({ email: uniqueEmail("staff") });
  const b = browser();
  const accepted = await b.api.members.acceptInvite.mutate({ token: inv.token, name: "Pat Platform", password: PASSWORD });
  return { ...b, accepted };
}

describe("platform admins in the admin", () => {
  it("an admin of the platform company reviews companies and disputes from its session", async () => {
    const staff = await platformAdmin();
    expect(staff.accepted.company.id).toBe("platform");
    expect((await staff.api.members.me.query())?.company.id).toBe("platform");
    expect(Array.isArray((await staff.api.admin.companies.list.query({})).items)).toBe(true);
    expect(Array.isArray((await staff.api.disputes.list.query()).items)).toBe(true);
  });
});
