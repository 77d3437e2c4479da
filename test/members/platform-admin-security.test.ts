/** An admin of any company but the platform is no platform admin, and can't invite Tessera's staff. */
import { describe, it } from "vitest";
import { expectCode } from "../harness";
import { signedUp, uniqueEmail } from "./browser";

describe("platform admins: who is not one", () => {
  it("another company's admin is not a platform admin, and can't invite staff", async () => {
    const companyAdmin = await signedUp();
    await expectCode(companyAdmin.api.admin.inviteStaff.mutate({ email: uniqueEmail("sneaky") }), "FORBIDDEN");
    await expectCode(companyAdmin.api.admin.companies.list.query({}), "FORBIDDEN");
    await expectCode(companyAdmin.api.disputes.resolve.mutate({ id: "dsp_x", outcome: "refunded" }), "FORBIDDEN");
  });
});
