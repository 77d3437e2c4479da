import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createDataset, runCalculation, runRows, type DatasetSource, type QueryContext, type QuerySpecInput } from "../../src/data";
import { HOT_READS_PER_S } from "../../src/data/store/dataset";
import { companyId, deps } from "./helpers";

let source: DatasetSource;
beforeAll(async () => {
  const lines = ["id,region,amount"];
  for (let id = 1; id <= 300; id++) lines.push(`${id},${["EU", "US"][id % 2]},${id * 2}`);
  source = await createDataset(deps, { companyId: companyId(), name: "Hot", format: "csv", body: lines.join("\n") });
});

/** A query context with the page cache (for every dataset, hot or not, unless `hotOnly`), counting what reaches the dataset's object. */
function counted(hotOnly = false): { ctx: QueryContext; calls: string[] } {
  const calls: string[] = [];
  const datasets = new Proxy(env.DATASET, {
    get(target, key) {
      if (key !== "getByName") return Reflect.get(target, key).bind(target);
      return (name: string) =>
        new Proxy(target.getByName(name), {
          get(stub, method) {
            const value = Reflect.get(stub, method);
            if (method !== "page" && method !== "values") return value;
            return (...args: unknown[]) => {
              calls.push(String(method));
              return (value as (...a: unknown[]) => unknown)(...args);
            };
          },
        });
    },
  });
  const cache = { cache: caches.default, origin: new URL(env.PUBLIC_URL).origin, always: !hotOnly };
  return { ctx: { datasets, cursorSecret: env.CURSOR_SECRET, cache }, calls };
}

const spec: QuerySpecInput = { filters: [{ param: "region", column: "region" }], sort: { default: [{ column: "amount", dir: "desc" }] } };

describe("hot datasets: identical pages from the Cache API", () => {
  it("serves a page asked again from the cache, the same rows and cursor, without the dataset's object", async () => {
    const { ctx, calls } = counted();
    const first = await runRows(ctx, source, spec, { region: "EU" }, { pageSize: 10, endpointId: "ept_hot" });
    const again = await runRows(ctx, source, spec, { region: "EU" }, { pageSize: 10, endpointId: "ept_hot" });
    expect(again).toEqual(first);
    expect(calls).toEqual(["page"]);

    // The next page, another filter or another page size are other pages: each reaches the object once.
    const next = await runRows(ctx, source, spec, { region: "EU" }, { pageSize: 10, cursor: first.nextCursor, endpointId: "ept_hot" });
    expect(next.rows[0]!.id).toBe((first.rows.at(-1)!.id as number) - 2);
    await runRows(ctx, source, spec, { region: "US" }, { pageSize: 10, endpointId: "ept_hot" });
    await runRows(ctx, source, spec, { region: "EU" }, { pageSize: 11, endpointId: "ept_hot" });
    await runRows(ctx, source, spec, { region: "EU" }, { pageSize: 10, cursor: first.nextCursor, endpointId: "ept_hot" });
    expect(calls).toEqual(["page", "page", "page", "page"]);
  });

  it("shares a page between endpoints with the same query, each with a cursor of its own", async () => {
    const { ctx, calls } = counted();
    const a = await runRows(ctx, source, spec, { region: "US" }, { pageSize: 7, endpointId: "ept_one" });
    const b = await runRows(ctx, source, spec, { region: "US" }, { pageSize: 7, endpointId: "ept_two" });
    expect(b.rows).toEqual(a.rows);
    expect(b.nextCursor).not.toEqual(a.nextCursor);
    expect((await runRows(ctx, source, spec, { region: "US" }, { pageSize: 7, cursor: b.nextCursor, endpointId: "ept_two" })).rows).toHaveLength(7);
    expect(calls.filter((c) => c === "page").length).toBe(2); // page 1 once, page 2 once
  });

  it("keeps aggregates too", async () => {
    const { ctx, calls } = counted();
    const sum = { aggregate: { fn: "sum", column: "amount" }, filters: [{ param: "region", column: "region" }] } as QuerySpecInput;
    const first = await runCalculation(ctx, source, sum, { region: "EU" });
    expect(await runCalculation(ctx, source, sum, { region: "EU" })).toEqual(first);
    expect(first.value).toBe(Array.from({ length: 150 }, (_, i) => (i + 1) * 2 * 2).reduce((a, b) => a + b, 0));
    expect(calls).toEqual(["values"]);
  });

  it("is used for a dataset once its object says it is hot, and not before", async () => {
    const lines = ["id,region,amount", ...Array.from({ length: 50 }, (_, i) => `${i + 1},EU,${i}`)];
    const hot = await createDataset(deps, { companyId: companyId(), name: "Popular", format: "csv", body: lines.join("\n") });
    const { ctx, calls } = counted(true);
    const page = () => runRows(ctx, hot, spec, { region: "EU" }, { pageSize: 5, endpointId: "ept_popular" });
    await page();
    await page();
    expect(calls).toEqual(["page", "page"]); // a quiet dataset: every call reaches its object, no cache lookup

    // A burst within one second makes the object hot; from then on identical pages come from the cache.
    calls.length = 0;
    // Twice the mark: past it within one second even if the burst straddles two.
    await Promise.all(Array.from({ length: 2 * HOT_READS_PER_S + 10 }, () => page()));
    const burst = calls.length;
    expect(burst).toBeGreaterThan(HOT_READS_PER_S);
    for (let i = 0; i < 20; i++) await page();
    expect(calls.length).toBe(burst);
  });
});
