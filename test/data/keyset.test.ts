import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { compileRows, createDataset, runRows, type DatasetSource, type QuerySpecInput } from "../../src/data";
import { runPage } from "../../src/data/query/page";
import { TesseraError } from "../../src/errors";
import { companyId, deps, queries } from "./helpers";
import { expectCode } from "../harness";

/**
 * 700 rows with ties and NULLs in every sort column: grp cycles a..g with a
 * NULL every 11th row; score is id % 13 with a NULL every 17th; name is unique.
 */
type Item = { id: number; grp: string | null; score: number | null; name: string };
const items: Item[] = Array.from({ length: 700 }, (_, k) => {
  const id = k + 1;
  return { id, grp: id % 11 === 0 ? null : "abcdefg"[id % 7]!, score: id % 17 === 0 ? null : id % 13, name: `n${String(id).padStart(4, "0")}` };
});

let source: DatasetSource;
beforeAll(async () => {
  const csv = ["id,grp,score,name", ...items.map((i) => `${i.id},${i.grp ?? ""},${i.score ?? ""},${i.name}`)].join("\n");
  source = await createDataset(deps, { companyId: companyId(), name: "Ties", format: "csv", body: csv });
});

const spec: QuerySpecInput = {
  columns: [{ column: "id" }, { column: "grp" }, { column: "score" }],
  filters: [{ param: "min_id", column: "id", op: "gte" }],
  sort: { default: [{ column: "grp" }, { column: "score", dir: "desc" }], allowed: ["score", "grp", "name"] },
};

/** The order SQLite gives: NULLs first ascending, last descending; ties by row order in the first key's direction. */
function expected(keys: { key: keyof Item; dir: "asc" | "desc" }[], rows = items): number[] {
  const tiebreak = keys[0]?.dir ?? "asc";
  const cmp = (a: Item, b: Item) => {
    for (const { key, dir } of keys) {
      const [x, y] = [a[key], b[key]];
      if (x === y) continue;
      const less = x === null ? true : y === null ? false : x < y;
      return (less ? -1 : 1) * (dir === "desc" ? -1 : 1);
    }
    return (a.id - b.id) * (tiebreak === "desc" ? -1 : 1);
  };
  return [...rows].sort(cmp).map((i) => i.id);
}

async function walk(params: Record<string, unknown>, pageSize: number, s: QuerySpecInput = spec) {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<typeof runRows>> = await runRows(queries, source, s, params, { pageSize, cursor, endpointId: "ept_test" });
    ids.push(...page.rows.map((r) => r.id as number));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { ids, pages };
}

describe("keyset paging", () => {
  it("walks a two-key sort with ties and NULLs (grp asc, score desc) with no gap or repeat, at any page size", async () => {
    const order = expected([
      { key: "grp", dir: "asc" },
      { key: "score", dir: "desc" },
    ]);
    for (const size of [1, 7, 50, 699]) {
      const { ids, pages } = await walk({}, size);
      expect(ids, `page size ${size}`).toEqual(order);
      expect(pages).toBe(Math.ceil(700 / size));
    }
  });

  it("walks every buyer sort, up and down, with a filter", async () => {
    const from300 = items.filter((i) => i.id >= 300);
    for (const [sort, keys] of [
      ["score", [{ key: "score", dir: "asc" }]],
      ["-score", [{ key: "score", dir: "desc" }]],
      ["-grp", [{ key: "grp", dir: "desc" }]],
      ["name", [{ key: "name", dir: "asc" }]],
    ] as const) {
      const { ids } = await walk({ sort, min_id: "300" }, 23);
      expect(ids, sort).toEqual(expected([...keys], from300));
    }
  });

  it("walks rows in upload order when the spec sorts nothing", async () => {
    const { ids } = await walk({}, 64, { columns: [{ column: "id" }] });
    expect(ids).toEqual(items.map((i) => i.id));
  });

  it("seeks: a deep page runs a few index ranges after the cursor's row, never an OFFSET", async () => {
    const q = await compileRows(source, spec, {}, { pageSize: 5, endpointId: "ept_test" }, queries.cursorSecret);
    const statements = await runInDurableObject(env.DATASET.getByName(source.id), (_, state) => {
      const seen: string[] = [];
      const sql = { exec: (query: string, ...b: unknown[]) => (seen.push(query), state.storage.sql.exec(query, ...b)) } as SqlStorage;
      const deep = runPage(sql, { ...q.query, after: 650 });
      return { seen, deep };
    });
    expect(statements.seen.join("\n")).not.toMatch(/OFFSET/i);
    expect(statements.seen[0]).toMatch(/WHERE rowid = \?$/); // the cursor row's sort key, by its rowid
    expect(statements.deep.rows).toHaveLength(5);
    const order = expected([
      { key: "grp", dir: "asc" },
      { key: "score", dir: "desc" },
    ]);
    expect(statements.deep.rows.map((r) => r[0])).toEqual(order.slice(order.indexOf(650) + 1, order.indexOf(650) + 6));
  });
});

describe("cursors", () => {
  it("are bound to the endpoint that issued them", async () => {
    const first = await runRows(queries, source, spec, {}, { pageSize: 10, endpointId: "ept_a" });
    await expectCode(runRows(queries, source, spec, {}, { pageSize: 10, cursor: first.nextCursor, endpointId: "ept_b" }), "INVALID_FILTER", /^Parameter "cursor" was issued by another endpoint\.$/);
    await expectCode(runRows(queries, source, spec, {}, { pageSize: 10, cursor: first.nextCursor }), "INVALID_FILTER", /another endpoint/);
    expect((await runRows(queries, source, spec, {}, { pageSize: 10, cursor: first.nextCursor, endpointId: "ept_a" })).rows).toHaveLength(10);
  });

  it("are bound to the spec: one from before the seller changed it is refused", async () => {
    const first = await runRows(queries, source, spec, {}, { pageSize: 10, endpointId: "ept_a" });
    const changed: QuerySpecInput = { ...spec, columns: [{ column: "id" }, { column: "name" }] };
    await expectCode(runRows(queries, source, changed, {}, { cursor: first.nextCursor, endpointId: "ept_a" }), "INVALID_FILTER", /^Parameter "cursor" was issued for other filters or another sort\.$/);
  });

  it("are signed with CURSOR_SECRET: the same cursor under another secret, or re-signed without it, is refused", async () => {
    const first = await runRows(queries, source, spec, {}, { pageSize: 10, endpointId: "ept_a" });
    const other = { ...queries, cursorSecret: "another-secret" };
    await expectCode(runRows(other, source, spec, {}, { cursor: first.nextCursor, endpointId: "ept_a" }), "INVALID_FILTER", /other filters or another sort/);
    // Moving the position while keeping the MAC is caught too.
    const payload = JSON.parse(atob(first.nextCursor!.replace(/-/g, "+").replace(/_/g, "/")));
    const moved = btoa(JSON.stringify({ ...payload, r: 600 })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    await expectCode(runRows(queries, source, spec, {}, { cursor: moved, endpointId: "ept_a" }), "INVALID_FILTER", /other filters or another sort/);
  });

  it("need the secret to exist: without CURSOR_SECRET paging fails closed", async () => {
    const error = await runRows({ ...queries, cursorSecret: "" }, source, spec, {}, { pageSize: 10 }).catch((e: TesseraError) => e);
    expect(error).toMatchObject({ code: "INTERNAL" });
  });
});
