import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { DataDeps, QueryContext } from "../../src/data";

export const deps: DataDeps = { database: env.DB, datasets: env.DATASET };

/** How these tests run queries: straight to the dataset's object (no page cache). */
export const queries: QueryContext = { datasets: env.DATASET, cursorSecret: env.CURSOR_SECRET };

/** A request-like body: the text as UTF-8, cut into `size`-byte chunks (cuts may split a character). */
export function streamOf(text: string | Uint8Array, size = 16 * 1024): ReadableStream<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

type Stored = Record<string, string | number | null | ArrayBuffer>;

/**
 * SQL run inside a dataset's own object, in the shape of D1's
 * `prepare().bind().first()/all()`, for tests that look at how rows are
 * stored. The typed rows are in table `data`, columns `c_<position>`.
 */
export function datasetSql(source: { id: string }) {
  const stub = env.DATASET.getByName(source.id);
  const run = (sql: string, bindings: unknown[]) =>
    runInDurableObject(stub, (_, state) => [...state.storage.sql.exec<Stored>(sql, ...bindings)]);
  return {
    prepare(sql: string) {
      let bindings: unknown[] = [];
      const statement = {
        bind(...values: unknown[]) {
          bindings = values;
          return statement;
        },
        async first<T = Stored>(): Promise<T | null> {
          return ((await run(sql, bindings))[0] as T | undefined) ?? null;
        },
        async all<T = Stored>(): Promise<{ results: T[] }> {
          return { results: (await run(sql, bindings)) as T[] };
        },
      };
      return statement;
    },
  };
}

/**
 * Everything stored by every dataset object, as `<object id>/<table or
 * index>` (plus `/meta` while it holds a dataset, `/alarm` while one is set):
 * an object that removed itself shows nothing.
 */
export async function datasetObjects(): Promise<string[]> {
  const found: string[] = [];
  for (const id of await listDurableObjectIds(env.DATASET)) {
    const names = await runInDurableObject(env.DATASET.get(id), async (_, state) => {
      const sql = state.storage.sql;
      const names = [...sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")]
        .map((r) => r.name)
        .filter((name) => name !== "meta");
      const hasMeta = [...sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'meta'")].length > 0;
      if (hasMeta && [...sql.exec("SELECT 1 FROM meta LIMIT 1")].length) names.push("meta");
      if ((await state.storage.getAlarm()) !== null) names.push("alarm");
      return names;
    });
    found.push(...names.map((n) => `${id.toString()}/${n}`));
  }
  return found.sort();
}

/** The object id `datasetObjects` names a source's object by. */
export function objectOf(source: { id: string }): string {
  return env.DATASET.idFromName(source.id).toString();
}

export function companyId(): string {
  return `co_${crypto.randomUUID().slice(0, 8)}`;
}
