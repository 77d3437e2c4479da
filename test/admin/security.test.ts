/** The platform admin's procedures answer only platform admin keys. */
import { describe, it } from "vitest";
import { h, client, expectCode } from "../harness";

describe("admin procedures refuse everyone else", () => {
  it("a company's own admin key, a read key, and no key at all", async () => {
    const co = await h.buyer({ name: "Curious Co" });
    const read = await co.api.keys.create.mutate({ name: "read", scope: "read" });
    for (const api of [co.api, client(read.secret)]) {
      await expectCode(api.admin.companies.list.query({}), "FORBIDDEN");
      await expectCode(api.admin.companies.get.query({ id: co.company.id }), "FORBIDDEN");
      await expectCode(api.admin.entries.query({}), "FORBIDDEN");
      await expectCode(api.admin.payouts.query({}), "FORBIDDEN");
      await expectCode(api.admin.grant.mutate({ companyId: co.company.id, credits: 1, reason: "for me" }), "FORBIDDEN");
    }
    await expectCode(client().admin.companies.list.query({}), "UNAUTHORIZED");
  });
});
