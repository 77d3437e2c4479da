import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorCode } from "../../client/src";
import { citiesCsv, citiesSpec, h } from "../harness";

/** The code and the fields a refusal names in `details.issues`, as the admin's forms read them (client/src/app/components/forms.tsx). */
async function refusal(call: Promise<unknown>): Promise<{ code: string | undefined; paths: string[] | undefined; message: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const issues = ((error as TRPCClientError<never>).data as { details?: { issues?: { path: string }[] } } | undefined)?.details?.issues;
  return { code: errorCode(error), paths: issues?.map((i) => i.path), message: (error as Error).message };
}

describe("products: a refusal about one field names it", () => {
  it("a spec its data refuses is BAD_REQUEST on `spec`, on create and on update", async () => {
    const s = await h.seller({ name: "Spec Seller", verified: false });
    const source = await h.dataset(s.company.id, citiesCsv(3));
    const draft = { type: "endpoint" as const, name: "Cities", dataSourceId: source.id, priceUsd: "0.10" };
    const created = await refusal(s.api.products.create.mutate({ ...draft, spec: { columns: [{ column: "no_such_column" }] } }));
    expect(created).toMatchObject({ code: "BAD_REQUEST", paths: ["spec"] });
    expect(created.message).toContain("no_such_column");
    const shape = await refusal(s.api.products.create.mutate({ ...draft, spec: { ...citiesSpec, aggregate: { measures: [{ fn: "count" }] } } }));
    expect(shape).toMatchObject({ code: "BAD_REQUEST", paths: ["spec"] });
    expect((await s.api.products.list.query()).items).toEqual([]);

    const product = await s.api.products.create.mutate({ ...draft, spec: citiesSpec });
    expect(await refusal(s.api.products.update.mutate({ id: product.id, spec: { columns: [{ column: "no_such_column" }] } }))).toMatchObject({ code: "BAD_REQUEST", paths: ["spec"] });
  });

  it("a price out of range is INVALID_AMOUNT on `priceUsd`", async () => {
    const s = await h.seller({ name: "Price Seller", verified: false });
    const source = await h.dataset(s.company.id, citiesCsv(3));
    const product = await s.api.products.create.mutate({ type: "endpoint", name: "Cities", dataSourceId: source.id, spec: citiesSpec, priceUsd: "0.10" });
    expect(await refusal(s.api.products.setPrice.mutate({ id: product.id, priceUsd: "20000" }))).toMatchObject({ code: "INVALID_AMOUNT", paths: ["priceUsd"] });
  });
});
