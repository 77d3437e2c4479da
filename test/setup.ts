import { applyD1Migrations, listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";

/**
 * Runs before each test file. Test files take turns in a few long-lived
 * workers (vitest.config.ts: `isolate: false`), so loading the worker's
 * modules is paid once per worker, not once per file; each file still starts
 * from the storage a fresh worker has: D1 exactly as the migrations leave it,
 * and no hosted datasets. (Wallets and the local Stripe server are keyed by
 * ids a file makes up, so nothing else carries over.)
 */
async function freshD1(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ type: string; name: string; sql: string }>();
  // A full-text table drops its own shadow tables (products_fts_data, …).
  const virtual = results.filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql)).map((r) => r.name);
  const order = ["trigger", "view", "table"];
  const drops = results
    .filter((r) => !virtual.some((v) => r.name.startsWith(`${v}_`)))
    .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
    .map((r) => env.DB.prepare(`DROP ${r.type.toUpperCase()} IF EXISTS "${r.name}"`));
  if (drops.length) await env.DB.batch([env.DB.prepare("PRAGMA defer_foreign_keys = on"), ...drops]);
}

async function noDatasets(): Promise<void> {
  for (const id of await listDurableObjectIds(env.DATASET)) {
    await runInDurableObject(env.DATASET.get(id), async (_, state) => {
      await state.storage.deleteAlarm();
      await state.storage.deleteAll();
    });
  }
}

await freshD1();
await noDatasets();
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
