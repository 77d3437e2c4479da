import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { compileRows, planIndexes, resolveSpec, type DatasetSource, type QuerySpecInput } from "../../src/data";
import { runPage, type PageQuery } from "../../src/data/query/page";
import { createIndexes } from "../../src/data/store/indexes";
import { datasetSql, queries } from "./helpers";
import { h, citiesCsv } from "../harness";

/** The query plan of every statement a page runs in the dataset's object (page 1, or after a row). */
async function plans(source: DatasetSource, query: PageQuery): Promise<string[]> {
  return runInDurableObject(env.DATASET.getByName(source.id), (_, state) => {
    const found: string[] = [];
    const sql = {
      exec(statement: string, ...bindings: unknown[]) {
        if (!statement.endsWith("WHERE rowid = ?")) {
          found.push([...state.storage.sql.exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${statement}`, ...bindings)].map((r) => r.detail).join(" | "));
        }
        return state.storage.sql.exec(statement, ...bindings);
      },
    } as SqlStorage;
    runPage(sql, query);
    return found;
  });
}

async function indexes(source: DatasetSource): Promise<string[]> {
  const { results } = await datasetSql(source).prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'data' ORDER BY name").all<{ name: string }>();
  return results.map((r) => r.name);
}

const endpointSpec = {
  columns: [{ column: "id" }, { column: "city" }, { column: "population" }],
  filters: [{ param: "region", column: "region", op: "eq" as const }],
  sort: { default: [{ column: "population", dir: "desc" as const }], allowed: ["city"] },
};

describe("saving a spec builds the indexes that serve it", () => {
  it("a filtered, sorted endpoint reads its pages off an index: no sort of the matching rows, on page 1 or deep", async () => {
    const s = await h.seller();
    const source = await h.dataset(s.company.id, citiesCsv(2000), "Cities", ["region"]);
    expect(await indexes(source)).toEqual(["data_c_2"]); // the upload's filterable index only
    const product = await h.endpoint(s, {
      name: "Biggest cities",
      dataSourceId: source.id,
      spec: endpointSpec,
      priceUsd: "0.10",
    });
    // region (c_2), then population (c_3) normalised to ascending and scanned backwards; one for the buyer's sort by city (c_1).
    expect(await indexes(source)).toEqual(["by_2_1", "by_2_3", "by_3", "data_c_2", "by_1"].sort());

    for (const params of [{ region: "EU" }, { region: "EU", sort: "city" }, { region: "US", sort: "-city" }, {}]) {
      const page1 = await compileRows(source, endpointSpec, params, { pageSize: 20, endpointId: product.id }, queries.cursorSecret);
      for (const query of [page1.query, { ...page1.query, after: 1501 }]) {
        for (const plan of await plans(source, query)) {
          expect(plan, JSON.stringify(params)).toMatch(/USING (COVERING )?INDEX by_/);
          expect(plan, JSON.stringify(params)).not.toMatch(/TEMP B-TREE/);
        }
      }
    }
  });

  it("a new spec on update gets its indexes too", async () => {
    const s = await h.seller();
    const source = await h.dataset(s.company.id, citiesCsv(100));
    const product = await h.endpoint(s, { name: "Cities", dataSourceId: source.id, spec: {}, priceUsd: "0.10" });
    expect(await indexes(source)).toEqual([]);
    await s.api.products.update.mutate({ id: product.id, spec: { sort: { default: [{ column: "city" }] } } });
    expect(await indexes(source)).toEqual(["by_1"]);
  });
});

describe("planIndexes", () => {
  const source = {
    id: "src_x",
    companyId: "co_x",
    kind: "dataset",
    name: "X",
    status: "ready",
    rowCount: 0,
    sizeBytes: 0,
    createdAt: 0,
    columns: ["a", "b", "c", "d"].map((name) => ({ name, label: name, type: "text" as const, filterable: false })),
  } satisfies DatasetSource;
  const plan = (spec: QuerySpecInput) => planIndexes(source, resolveSpec(source, spec)).map((d) => d.columns.map((c) => `${c.column}${c.dir === "desc" ? " desc" : ""}`).join(", "));

  it("puts equality filters first, then the sort, relative to the first sort key's direction", () => {
    expect(plan({ where: [{ column: "a", op: "eq", value: "x" }], sort: { default: [{ column: "b", dir: "desc" }, { column: "c" }] } })).toEqual(["c_0, c_1, c_2 desc"]);
  });

  it("adds an index without an optional filter, for calls that leave it out", () => {
    expect(plan({ filters: [{ param: "a", column: "a" }], sort: { default: [{ column: "b" }] } })).toEqual(["c_0, c_1", "c_1"]);
    expect(plan({ filters: [{ param: "a", column: "a", required: true }], sort: { default: [{ column: "b" }] } })).toEqual(["c_0, c_1"]);
  });

  it("indexes range filters' columns only through the upload's filterable columns, and aggregates by their group", () => {
    expect(plan({ filters: [{ param: "a", column: "a", op: "gte" }] })).toEqual([]);
    expect(plan({ filters: [{ param: "d", column: "d", op: "eq", required: true }], aggregate: { fn: "count", groupBy: "b" } })).toEqual(["c_3, c_1"]);
  });
});

describe("createIndexes", () => {
  it("skips an index another one already starts with, in either direction", async () => {
    const s = await h.seller();
    const source = await h.dataset(s.company.id, citiesCsv(10));
    const created = await runInDurableObject(env.DATASET.getByName(source.id), (_, state) => [
      createIndexes(state.storage.sql, [{ columns: [{ column: "c_2", dir: "asc" }, { column: "c_3", dir: "desc" }] }]),
      createIndexes(state.storage.sql, [
        { columns: [{ column: "c_2", dir: "desc" }, { column: "c_3", dir: "asc" }] },
        { columns: [{ column: "c_2", dir: "asc" }] },
        { columns: [{ column: "c_3", dir: "asc" }] },
      ]),
    ]);
    expect(created).toEqual([["by_2_3d"], ["by_3"]]);
  });
});
