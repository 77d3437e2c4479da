import { beforeAll, describe, expect, it } from "vitest";
import { createDataset, runRows, type DatasetSource, type QuerySpecInput } from "../../src/data";
import { companyId, deps, queries } from "./helpers";
import { expectCode } from "../harness";

const regions = ["EU", "US", "APAC", "LATAM"];
let source: DatasetSource;

/** 1,000 rows: id 1..1000, region cycling EU/US/APAC/LATAM, amount = id * 0.5, every 3rd active, day in Jan–Apr 2024. */
beforeAll(async () => {
  const lines = ["Id,Region,Amount,Active,Day,Customer"];
  for (let id = 1; id <= 1000; id++) {
    const month = String(((id - 1) % 4) + 1).padStart(2, "0");
    const day = String(((id - 1) % 28) + 1).padStart(2, "0");
    const customer = id % 100 === 0 ? `"O'Brien ""${id}"""` : `Customer ${id}`;
    lines.push(`${id},${regions[(id - 1) % 4]},${id * 0.5},${id % 3 === 0},2024-${month}-${day},${customer}`);
  }
  source = await createDataset(deps, {
    companyId: companyId(),
    name: "Sales",
    format: "csv",
    body: lines.join("\n"),
    filterable: ["Region", "Day"],
  });
});

const db = () => queries;

const filterSpec = (op: string, column: string, extra = {}): QuerySpecInput =>
  ({ columns: [{ column: "id" }], filters: [{ param: "v", column, op, ...extra }], sort: { default: [{ column: "id" }] } }) as QuerySpecInput;

async function ids(spec: QuerySpecInput, params: Record<string, unknown>): Promise<number[]> {
  const { rows } = await runRows(db(), source, spec, params, { pageSize: 1000 });
  return rows.map((r) => r.id as number);
}

describe("filters, one per operator", () => {
  it("eq / ne on text", async () => {
    expect(await ids(filterSpec("eq", "region"), { v: "EU" })).toHaveLength(250);
    expect((await ids(filterSpec("eq", "region"), { v: "EU" })).every((id) => (id - 1) % 4 === 0)).toBe(true);
    expect(await ids(filterSpec("ne", "region"), { v: "EU" })).toHaveLength(750);
  });

  it("lt / lte / gt / gte on integers, from query-string text", async () => {
    expect(await ids(filterSpec("lt", "id"), { v: "5" })).toEqual([1, 2, 3, 4]);
    expect(await ids(filterSpec("lte", "id"), { v: "5" })).toEqual([1, 2, 3, 4, 5]);
    expect(await ids(filterSpec("gt", "id"), { v: "997" })).toEqual([998, 999, 1000]);
    expect(await ids(filterSpec("gte", "id"), { v: 998 })).toEqual([998, 999, 1000]);
  });

  it("gte on reals and on dates", async () => {
    expect(await ids(filterSpec("gte", "amount"), { v: "499.5" })).toEqual([999, 1000]);
    const april = await ids(filterSpec("gte", "day"), { v: "2024-04-01" });
    expect(april).toHaveLength(250);
  });

  it("in, as a comma list or an array", async () => {
    expect(await ids(filterSpec("in", "id"), { v: "3, 7,11" })).toEqual([3, 7, 11]);
    expect(await ids(filterSpec("in", "region"), { v: ["EU", "US"] })).toHaveLength(500);
  });

  it("contains (case-insensitive) and prefix", async () => {
    expect(await ids(filterSpec("contains", "customer"), { v: "o'BRIEN" })).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(await ids(filterSpec("prefix", "customer"), { v: "Customer 99" })).toEqual([99, 990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
    expect(await ids(filterSpec("prefix", "day"), { v: "2024-02" })).toHaveLength(250);
  });

  it("booleans", async () => {
    expect(await ids(filterSpec("eq", "active"), { v: "true" })).toHaveLength(333);
    expect(await ids(filterSpec("eq", "active"), { v: false })).toHaveLength(667);
  });

  it("the seller's fixed where, combined with the buyer's filter", async () => {
    const spec: QuerySpecInput = {
      columns: [{ column: "id" }],
      where: [{ column: "region", op: "eq", value: "US" }],
      filters: [{ param: "max_id", column: "id", op: "lte" }],
      sort: { default: [{ column: "id" }] },
    };
    expect(await ids(spec, { max_id: "10" })).toEqual([2, 6, 10]);
  });

  it("required params and defaults", async () => {
    const spec = filterSpec("eq", "region", { required: true });
    await expectCode(runRows(db(), source, spec, {}), "INVALID_FILTER", /^Parameter "v" is required\.$/);
    const withDefault = filterSpec("lt", "id", { default: 3 });
    expect(await ids(withDefault, {})).toEqual([1, 2]);
    expect(await ids(withDefault, { v: "2" })).toEqual([1]);
  });
});

describe("rows", () => {
  it("returns the chosen columns under their aliases, booleans as booleans", async () => {
    const spec: QuerySpecInput = {
      columns: [{ column: "id", as: "order_id" }, { column: "active" }, { column: "day", as: "date" }],
      sort: { default: [{ column: "id", dir: "desc" }] },
    };
    const { rows, nextCursor } = await runRows(db(), source, spec, {}, { pageSize: 2 });
    expect(rows).toEqual([
      { order_id: 1000, active: false, date: "2024-04-20" },
      { order_id: 999, active: true, date: "2024-03-19" },
    ]);
    expect(nextCursor).toEqual(expect.any(String));
  });

  it("returns every column when the spec names none", async () => {
    const { rows } = await runRows(db(), source, {}, {}, { pageSize: 1 });
    expect(rows).toEqual([{ id: 1, region: "EU", amount: 0.5, active: false, day: "2024-01-01", customer: "Customer 1" }]);
  });
});
