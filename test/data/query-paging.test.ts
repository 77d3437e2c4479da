import { beforeAll, describe, expect, it, vi } from "vitest";
import { createDataset, runRows, type DatasetSource, type QuerySpecInput } from "../../src/data";
import { TesseraError } from "../../src/errors";
import { companyId, datasetSql, deps, queries } from "./helpers";
import { expectCode } from "../harness";

let source: DatasetSource;
const db = () => queries;

beforeAll(async () => {
  const lines = ["id,region,amount"];
  for (let id = 1; id <= 1000; id++) lines.push(`${id},${["EU", "US"][id % 2]},${(id * 37) % 101}`);
  source = await createDataset(deps, { companyId: companyId(), name: "Paged", format: "csv", body: lines.join("\n") });
});

const spec: QuerySpecInput = {
  columns: [{ column: "id" }, { column: "amount" }],
  filters: [{ param: "region", column: "region" }],
  sort: { default: [{ column: "id" }], allowed: ["amount", "id"] },
};

async function pages(params: Record<string, unknown>, pageSize: number) {
  const all: number[] = [];
  let cursor: string | null = null;
  let count = 0;
  do {
    const page: Awaited<ReturnType<typeof runRows>> = await runRows(db(), source, spec, params, { pageSize, cursor });
    all.push(...page.rows.map((r) => r.id as number));
    cursor = page.nextCursor;
    count++;
  } while (cursor && count < 50);
  return { all, count };
}

describe("paging", () => {
  it("walks 1,000 rows in 10 pages of 100, no overlap, no gap", async () => {
    const { all, count } = await pages({}, 100);
    expect(count).toBe(10);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it("is stable under a buyer sort with many ties (ties broken by upload order)", async () => {
    const { all, count } = await pages({ sort: "-amount" }, 100);
    expect(count).toBe(10);
    expect(new Set(all).size).toBe(1000);
    const { rows } = await runRows(db(), source, spec, { sort: "-amount" }, { pageSize: 1000 });
    expect(rows.map((r) => r.id)).toEqual(all);
    const amounts = rows.map((r) => r.amount as number);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  });

  it("uses 100 rows by default and refuses page sizes out of range", async () => {
    expect((await runRows(db(), source, spec, {})).rows).toHaveLength(100);
    expect((await runRows(db(), source, spec, {}, { pageSize: "1000" })).rows).toHaveLength(1000);
    for (const pageSize of [0, 1001, "abc", "10; DROP TABLE x", 2.5]) {
      await expectCode(runRows(db(), source, spec, {}, { pageSize }), "INVALID_FILTER", /^Parameter "page_size" must be a whole number from 1 to 1000\.$/);
    }
  });

  it("refuses a cursor reused with other filters or another sort", async () => {
    const first = await runRows(db(), source, spec, { region: "EU" }, { pageSize: 10 });
    expect(first.nextCursor).not.toBeNull();
    const second = await runRows(db(), source, spec, { region: "EU" }, { pageSize: 10, cursor: first.nextCursor });
    expect(second.rows.map((r) => r.id)).toEqual([22, 24, 26, 28, 30, 32, 34, 36, 38, 40]);
    // A different page size is fine: the cursor is an absolute position in the same query.
    expect((await runRows(db(), source, spec, { region: "EU" }, { pageSize: 3, cursor: first.nextCursor })).rows).toHaveLength(3);

    await expectCode(
      runRows(db(), source, spec, { region: "US" }, { cursor: first.nextCursor }),
      "INVALID_FILTER",
      /^Parameter "cursor" was issued for other filters or another sort\.$/,
    );
    await expectCode(runRows(db(), source, spec, {}, { cursor: first.nextCursor }), "INVALID_FILTER", /other filters/);
    await expectCode(
      runRows(db(), source, spec, { region: "EU", sort: "amount" }, { cursor: first.nextCursor }),
      "INVALID_FILTER",
      /another sort/,
    );
  });

  it("refuses a forged or garbled cursor", async () => {
    const { nextCursor } = await runRows(db(), source, spec, {}, { pageSize: 10 });
    const payload = JSON.parse(atob(nextCursor!.replace(/-/g, "+").replace(/_/g, "/")));
    const forged = btoa(JSON.stringify({ ...payload, o: 500 })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    await expectCode(runRows(db(), source, spec, {}, { cursor: forged }), "INVALID_FILTER", /cursor/);
    for (const cursor of ["!!!", "abc", btoa('{"o":-1,"h":"x"}'), "x".repeat(500)]) {
      await expectCode(runRows(db(), source, spec, {}, { cursor }), "INVALID_FILTER", /^Parameter "cursor" is not a cursor this API issued\.$/);
    }
  });
});

describe("buyer input is only ever a value", () => {
  const intact = async () => {
    const row = await datasetSql(source).prepare("SELECT count(*) AS n FROM data").first<{ n: number }>();
    expect(row?.n).toBe(1000);
  };

  it("quotes, semicolons and SQL in a filter value are matched literally", async () => {
    for (const v of ["EU' OR '1'='1", "EU\"; DROP TABLE ds; --", "1; DROP TABLE data", "%", "_"]) {
      const { rows } = await runRows(db(), source, spec, { region: v });
      expect(rows).toEqual([]);
    }
    await intact();
  });

  it("an injected integer is a type error naming the parameter", async () => {
    const byId: QuerySpecInput = { ...spec, filters: [{ param: "min_id", column: "id", op: "gte" }] };
    await expectCode(runRows(db(), source, byId, { min_id: "1; DROP TABLE x" }), "INVALID_FILTER", /^Parameter "min_id" must be an integer, got "1; DROP TABLE x"\.$/);
    await expectCode(runRows(db(), source, byId, { min_id: "abc" }), "INVALID_FILTER", /"min_id" must be an integer/);
    await expectCode(runRows(db(), source, byId, { min_id: ["1", "2"] }), "INVALID_FILTER", /"min_id" takes one value/);
    await intact();
  });

  it("undeclared params and sort columns are refused, naming them", async () => {
    await expectCode(runRows(db(), source, spec, { "region; DROP TABLE x": "EU" }), "INVALID_FILTER", /^Parameter "region; DROP TABLE x" is not a parameter of this product/);
    await expectCode(runRows(db(), source, spec, { amount: "5" }), "INVALID_FILTER", /"amount" is not a parameter of this product \(parameters: region\)/);
    await expectCode(runRows(db(), source, spec, { sort: "region" }), "INVALID_FILTER", /^Parameter "sort" cannot sort by "region" \(sortable columns: amount, id\)\.$/);
    await expectCode(runRows(db(), source, spec, { sort: "id; DROP TABLE x" }), "INVALID_FILTER", /cannot sort by/);
    await expectCode(runRows(db(), source, spec, { sort: "rowid" }), "INVALID_FILTER", /cannot sort by "rowid"/);
    await expectCode(runRows(db(), source, spec, { sort: ["id", "amount"] }), "INVALID_FILTER", /"sort" takes one column name/);
    await intact();
  });

  it("a seller's spec can't name anything but the dataset's columns", async () => {
    const bad = async (s: unknown, message: RegExp) => expectCode(runRows(db(), source, s as QuerySpecInput, {}), "BAD_REQUEST", message);
    await bad({ columns: [{ column: "id; DROP TABLE x" }] }, /^Query spec: columns\.0\.column must be lowercase/);
    await bad({ columns: [{ column: "c_0" }] }, /the dataset has no column "c_0"/);
    await bad({ columns: [{ column: "id", as: 'x" FROM y --' }] }, /columns\.0\.as/);
    await bad({ filters: [{ param: "p", column: "nope" }] }, /filters\.0: the dataset has no column "nope"/);
    await bad({ filters: [{ param: "p", column: "id", op: "contains" }] }, /"contains" does not apply to integer column "id"/);
    await bad({ filters: [{ param: "p", column: "id", type: "text" }] }, /filters\.0\.type is text but column "id" is integer/);
    await bad({ filters: [{ param: "cursor", column: "id" }] }, /reserved/);
    await bad({ where: [{ column: "id", op: "eq", value: "abc" }] }, /^Query spec: where\.0\.value: must be an integer, got "abc"\.$/);
    await bad({ sort: { allowed: ["rowid"] } }, /no column "rowid"/);
    await bad({ sql: "SELECT 1" }, /^Query spec: Unrecognized key: "sql"/);
    await intact();
  });

  it("a database failure is reported without SQL", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const gone = { ...source, id: "src_000000000000000000000000" };
    const error = await runRows(db(), gone, spec, {}).catch((e: TesseraError) => e);
    expect(error).toMatchObject({ code: "INTERNAL", message: "The dataset query failed." });
  });
});
