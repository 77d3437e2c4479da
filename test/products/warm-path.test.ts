import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startUpload } from "../../src/data";
import { runContext, sourceOf } from "../../src/products/context";
import { runProduct } from "../../src/products/run";
import { services } from "../../src/services";
import { h, citiesCsv, citiesSpec } from "../harness";

/** The Worker's env with a catalog that counts its statements (or refuses any, with `refuse`). */
function countingEnv(refuse = false) {
  let statements = 0;
  const DB = new Proxy(env.DB, {
    get(target, key) {
      if (refuse) throw new Error(`D1 touched: ${String(key)}`);
      if (key === "prepare") statements++;
      return Reflect.get(target, key).bind(target);
    },
  });
  return { env: services({ ...env, DB } as Env), statements: () => statements };
}

describe("the data path of a warm metered call reads no D1", () => {
  it("keeps a ready dataset in the isolate without TTL, then runs the page through its object alone", async () => {
    const s = await h.seller();
    const source = await h.dataset(s.company.id, citiesCsv(300), "Cities", ["region"]);
    const counted = countingEnv();
    expect((await sourceOf(counted.env, source.id)).id).toBe(source.id);
    expect(counted.statements()).toBe(1);
    for (let i = 0; i < 5; i++) await sourceOf(counted.env, source.id);
    expect(counted.statements()).toBe(1);

    // Running the product: a catalog that throws on any use is never reached.
    const noD1 = countingEnv(true);
    const product = { id: "ept_warm", type: "endpoint" as const, assetKind: null, spec: citiesSpec };
    const kept = await sourceOf(counted.env, source.id);
    const page = await runProduct(runContext(noD1.env, "req_warm"), product, kept, { region: "EU" }, { pageSize: 5 });
    expect(page).toMatchObject({ type: "rows", rows: [{ id: 1 }, { id: 3 }, { id: 5 }, { id: 7 }, { id: 9 }] });
    if (page.type !== "rows") throw new Error("rows expected");
    const next = await runProduct(runContext(noD1.env, "req_warm2"), product, kept, { region: "EU" }, { pageSize: 5, cursor: page.nextCursor });
    expect(next).toMatchObject({ type: "rows", rows: [{ id: 11 }, { id: 13 }, { id: 15 }, { id: 17 }, { id: 19 }] });
  });

  it("never keeps an upload still running: its shape is not final", async () => {
    const s = await h.seller();
    const loading = await startUpload({ database: env.DB, datasets: env.DATASET }, { companyId: s.company.id, name: "Running", format: "csv" });
    const counted = countingEnv();
    await sourceOf(counted.env, loading.id);
    await sourceOf(counted.env, loading.id);
    expect(counted.statements()).toBe(2);
  });
});
