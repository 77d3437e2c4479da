import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { upload } from "./helpers";
import { h, client, expectCode } from "../harness";

/** Two sellers; the victim owns a dataset and an origin. */
async function twoSellers() {
  const victim = await h.seller({ name: "Victim Data", verified: false });
  const intruder = await h.seller({ name: "Intruder Data", verified: false });
  const { body } = await upload("name=Private&format=csv", "id,secret_value\n1,hunter2\n", { key: victim.key });
  const origin = await victim.api.dataSources.createOrigin.mutate({ name: "Private API", url: "https://victim.example.com/rows" });
  return { victim, intruder, datasetId: body.data.id as string, originId: origin.id };
}

describe("dataSources: one company never reaches another's sources", () => {
  it("answers NOT_FOUND to get, rows and delete of another company's source", async () => {
    const { victim, intruder, datasetId, originId } = await twoSellers();
    for (const id of [datasetId, originId]) {
      await expectCode(intruder.api.dataSources.get.query({ id }), "NOT_FOUND");
      await expectCode(intruder.api.dataSources.delete.mutate({ id }), "NOT_FOUND");
    }
    await expectCode(intruder.api.dataSources.rows.query({ id: datasetId }), "NOT_FOUND");
    expect((await intruder.api.dataSources.list.query()).items).toEqual([]);

    // Still there, rows and all.
    expect((await victim.api.dataSources.list.query()).items.map((d) => d.id).sort()).toEqual([datasetId, originId].sort());
    expect((await victim.api.dataSources.rows.query({ id: datasetId })).rows).toEqual([{ id: 1, secret_value: "hunter2" }]);
  });

  it("does not reveal which products use another company's source", async () => {
    const { intruder, datasetId } = await twoSellers();
    const error = await intruder.api.dataSources.delete.mutate({ id: datasetId }).catch((e: unknown) => e);
    await expectCode(Promise.reject(error), "NOT_FOUND");
  });

  it("keeps changes for full-scope keys: a read-only key can read but not create or delete", async () => {
    const { victim, datasetId } = await twoSellers();
    const readOnly = await victim.api.keys.create.mutate({ name: "dashboards", scope: "read" });
    const ro = client(readOnly.secret);
    expect((await ro.dataSources.list.query()).items.length).toBe(2);
    await expectCode(ro.dataSources.createOrigin.mutate({ name: "Sneaky", url: "https://x.example.com" }), "FORBIDDEN");
    await expectCode(ro.dataSources.delete.mutate({ id: datasetId }), "FORBIDDEN");
    expect((await victim.api.dataSources.list.query()).items.length).toBe(2);
  });

  it("lets only seller companies create origins", async () => {
    const buyer = await client().companies.signUp.mutate({ name: "Only Buys", isBuyer: true, isSeller: false });
    await expectCode(
      client(buyer.apiKey.secret).dataSources.createOrigin.mutate({ name: "Mine", url: "https://x.example.com" }),
      "FORBIDDEN",
    );
    const n = await env.DB.prepare("SELECT count(*) AS n FROM data_sources WHERE company_id = ?").bind(buyer.company.id).first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it("needs a key", async () => {
    await expectCode(client().dataSources.list.query(), "UNAUTHORIZED");
    await expectCode(client("tsk_not_a_key").dataSources.get.query({ id: "src_x" }), "UNAUTHORIZED");
  });
});
