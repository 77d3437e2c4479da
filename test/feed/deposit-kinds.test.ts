import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeLedgerFeed } from "../../src/feed/consumer";
import { randomToken } from "../../src/ids";
import { FEED_LEDGER_COLUMNS } from "../../src/wallet/feed";

const KINDS = ["purchase", "subscription", "grant", "charge"];

/** One deposit of each kind (a charge among them), as a feed row: FEED_LEDGER_COLUMNS' values in order. */
function feedRows(companyId: string): unknown[][] {
  return KINDS.map((kind, i) => {
    const row: Record<string, unknown> = {
      company_id: companyId,
      seq: i + 1,
      kind,
      operation_id: `op_${i}`,
      amount: kind === "charge" ? -1_000_000 : 10_000_000,
      balance_after: 10_000_000,
      usd_per_credit: 500_000,
      created_at: 1_700_000_000_000 + i,
    };
    return FEED_LEDGER_COLUMNS.map((c) => row[c] ?? null);
  });
}

const kindsOf = async (companyId: string) =>
  (await env.DB.prepare("SELECT kind FROM transactions WHERE company_id = ? ORDER BY seq").bind(companyId).all<{ kind: string }>()).results.map((r) => r.kind);

describe("the deposit kinds' rename in D1", () => {
  it("renames D1's existing rows in its migration, and nothing else", async () => {
    const companyId = `co_${randomToken(10)}`;
    const columns = FEED_LEDGER_COLUMNS.join(", ");
    await env.DB.batch(
      feedRows(companyId).map((values) =>
        env.DB.prepare(`INSERT INTO transactions (id, ${columns}) VALUES (?, ${FEED_LEDGER_COLUMNS.map(() => "?").join(", ")})`).bind(
          `${companyId}:${values[1]}`,
          ...values,
        ),
      ),
    );
    expect(await kindsOf(companyId)).toEqual(KINDS);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.endsWith("_deposit_kinds.sql"))!;
    await env.DB.batch(migration.queries.map((q) => env.DB.prepare(q)));
    expect(await kindsOf(companyId)).toEqual(["top_up", "plan", "grant", "charge"]);
    // Run again (it is a plain rewrite): the same.
    await env.DB.batch(migration.queries.map((q) => env.DB.prepare(q)));
    expect(await kindsOf(companyId)).toEqual(["top_up", "plan", "grant", "charge"]);
  });

  it("names the kinds of a message sent before the rename by their new names as it lands", async () => {
    const companyId = `co_${randomToken(10)}`;
    const batch = createMessageBatch<unknown>("tessera-ledger-feed", [
      { id: "m0", timestamp: new Date(), attempts: 1, body: { companyId, ledger: JSON.stringify(feedRows(companyId)), calls: "[]" } },
    ]);
    const ctx = createExecutionContext();
    await consumeLedgerFeed(batch, env.DB);
    expect((await getQueueResult(batch, ctx)).retryBatch.retry).toBe(false);
    expect(await kindsOf(companyId)).toEqual(["top_up", "plan", "grant", "charge"]);
  });
});
