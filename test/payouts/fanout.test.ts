/**
 * The month-end job at scale: generated sellers, the real cron handler, the
 * real payout queue and its consumer (miniflare runs both), the worker's own
 * D1, R2, mail and Stripe (the local server). Prints the figures it measures.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { createDb } from "../../src/db";
import { dueSellers } from "../../src/payouts/due";
import { outboxMailer } from "../../src/payouts/mail";
import { monthOf } from "../../src/payouts/period";
import { enqueuePayouts } from "../../src/payouts/queue";
import { paySeller } from "../../src/payouts/seller";
import { stripeClient } from "../../src/stripe";
import { utc } from "./helpers";
import { eventually, scaled, workerStripe } from "../harness";

// 2,000 sellers (10,000 due) nightly; in CI 200 (1,000 due): still two consumer batches of
// resends racing the cron's, and many pages of sellers due.
const SELLERS = scaled(200, 2_000);
const FROZEN = SELLERS / 50;
const RESENT = SELLERS / 20;
const DUE = scaled(1_000, 10_000);
const stripe = workerStripe();

/** Runs `statements` in D1 batches of 100. */
async function batched(statements: D1PreparedStatement[]) {
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100));
}

/** Multi-row INSERTs of `rows` (each `columns.length` values), within D1's 100 bound parameters. */
function inserts(table: string, columns: string[], rows: unknown[][], suffix = "") {
  const perStatement = Math.floor(100 / columns.length);
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const placeholders = chunk.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ");
    out.push(env.DB.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${placeholders} ${suffix}`).bind(...chunk.flat()));
  }
  return out;
}

interface Generated {
  id: string;
  accountId: string;
  /** Micro-dollars the month's sales earned it. */
  share: number;
  frozen: boolean;
  email: string | null;
}

/**
 * `count` sellers with sales in `month`: companies, live Connect accounts
 * (verified at the local Stripe, or disconnected: frozen), and ledger rows
 * inserted as the wallet's outbox inserts them (the rollups follow by trigger).
 */
async function generateSellers(tag: string, count: number, at: number, opts: { stripeAccounts: boolean; frozen?: number }): Promise<Generated[]> {
  const sellers: Generated[] = [];
  for (let i = 0; i < count; i++) {
    // From $20.00 to about $39: some roll over, most are paid, many with sub-cent remainders.
    const share = 20_000_000 + (i % 20) * 1_000_003;
    sellers.push({ id: `co_${tag}_${i}`, accountId: `acct_${tag}_${i}`, share, frozen: i < (opts.frozen ?? 0), email: i % 2 === 0 ? `s${i}@${tag}.test` : null });
  }
  if (opts.stripeAccounts) {
    for (let i = 0; i < sellers.length; i += 25) {
      await Promise.all(
        sellers.slice(i, i + 25).map(async (s) => {
          if (s.frozen) return;
          s.accountId = (await stripe.stripe.accounts.create({ type: "express" })).id;
          await stripe.control(`/accounts/${s.accountId}/onboarding`);
        }),
      );
    }
  }
  const now = Date.now();
  await batched([
    ...inserts("companies", ["id", "name", "is_buyer", "is_seller", "billing_email", "can_sell", "created_at"], sellers.map((s) => [s.id, `Seller ${s.id}`, 0, 1, s.email, s.frozen ? 0 : 1, now])),
    ...inserts(
      "connect_accounts",
      ["id", "company_id", "details_submitted", "payouts_enabled", "requirements_due", "synced_at", "created_at", "updated_at", "disconnected_at"],
      sellers.map((s) => [s.accountId, s.id, 1, 1, "[]", 1, now, now, s.frozen ? now : null]),
    ),
    // Two sales per seller, one per product; the second carries the odd remainder.
    ...inserts(
      "transactions",
      ["id", "company_id", "seq", "kind", "operation_id", "amount", "balance_after", "product_id", "product_type", "seller_company_id", "gross_usd", "seller_share_usd", "platform_fee_usd", "usd_per_credit", "reason", "created_at"],
      sellers.flatMap((s, i) => {
        const first = Math.floor(s.share / 2);
        return [
          [`${tag}_buyer:${2 * i + 1}`, `${tag}_buyer`, 2 * i + 1, "charge", `req_${tag}_${i}_a`, -1, 0, `ast_${tag}`, "asset", s.id, first, first, 0, 500_000, null, at],
          [`${tag}_buyer:${2 * i + 2}`, `${tag}_buyer`, 2 * i + 2, "charge", `req_${tag}_${i}_b`, -1, 0, `ept_${tag}`, "endpoint", s.id, s.share - first, s.share - first, 0, 500_000, null, at + 3_600_000],
        ];
      }),
      "ON CONFLICT(id) DO NOTHING",
    ),
  ]);
  return sellers;
}

/** The worker's D1, counting the statements it runs (each statement of a batch counts). */
function countingD1(d1: D1Database) {
  const counter = { statements: 0 };
  const targets = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (typeof value !== "function") return value;
        if (property === "bind") return (...args: unknown[]) => wrap(value.apply(target, args));
        if (["first", "all", "run", "raw"].includes(String(property))) {
          return (...args: unknown[]) => {
            counter.statements += 1;
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
    targets.set(proxy, statement);
    return proxy;
  };
  const db = new Proxy(d1, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === "prepare") return (query: string) => wrap(target.prepare(query));
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) => {
          counter.statements += statements.length;
          return target.batch(statements.map((s) => targets.get(s) ?? s));
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, counter };
}

async function countWhere(sql: string, ...args: unknown[]): Promise<number> {
  return (await env.DB.prepare(sql).bind(...args).first<{ n: number }>())!.n;
}

describe("the month-end job fans out, one queue message per seller", () => {
  it(`pays ${SELLERS} generated sellers exactly once through the cron, the queue and its consumer`, { timeout: 900_000 }, async () => {
    await stripe.control("/balance", { amount: String(10_000_000_00) });
    const started = Date.now();
    const sellers = await generateSellers("fan", SELLERS, utc(2039, 6, 15), { stripeAccounts: true, frozen: FROZEN });
    const generatedIn = Date.now() - started;
    const live = sellers.filter((s) => !s.frozen);
    const period = "2039-06";

    const cronStarted = Date.now();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime: utc(2039, 7, 1, 3), cron: "0 3 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const enqueuedIn = Date.now() - cronStarted;
    // At least once: a second producer (an admin's payouts.run, a redelivery) sends a tenth of the sellers again meanwhile.
    await env.PAYOUT_QUEUE.sendBatch(live.slice(0, RESENT).map((s) => ({ body: { companyId: s.id, period } })));
    await env.PAYOUT_QUEUE.sendBatch(live.slice(RESENT, 2 * RESENT).map((s) => ({ body: { companyId: s.id, period } })));

    const mailed = live.filter((s) => s.email).length;
    await eventually(
      async () =>
        (await countWhere("SELECT count(*) AS n FROM payouts WHERE period = ? AND report_key IS NOT NULL", period)) === live.length &&
        (await countWhere("SELECT count(*) AS n FROM payouts WHERE period = ? AND mailed_at IS NOT NULL", period)) === mailed,
      `${live.length} payouts settled`,
      840_000,
    );
    const settledIn = Date.now() - cronStarted;

    // Exactly the rules: $25 minimum, whole cents paid, the sub-cent remainder carried, frozen sellers skipped.
    const { results } = await env.DB.prepare("SELECT company_id, status, earnings_usd, amount_usd, carried_out_usd, transfer_id FROM payouts WHERE period = ?")
      .bind(period)
      .all<{ company_id: string; status: string; earnings_usd: number; amount_usd: number; carried_out_usd: number; transfer_id: string | null }>();
    const byCompany = new Map(results.map((row) => [row.company_id, row]));
    expect(byCompany.size).toBe(live.length);
    for (const s of sellers) {
      const row = byCompany.get(s.id);
      if (s.frozen) {
        expect(row, s.id).toBeUndefined();
        continue;
      }
      const paid = s.share >= 25_000_000;
      expect(row, s.id).toMatchObject({
        status: paid ? "paid" : "rolled_over",
        earnings_usd: s.share,
        amount_usd: paid ? s.share - (s.share % 10_000) : 0,
        carried_out_usd: paid ? s.share % 10_000 : s.share,
      });
    }
    // One transfer per paid payout, for its amount, whatever was delivered twice.
    const transfers = new Map<string, number[]>();
    for await (const transfer of stripe.stripe.transfers.list({ limit: 100 })) {
      if (transfer.metadata?.period !== period) continue;
      transfers.set(transfer.metadata.company_id!, [...(transfers.get(transfer.metadata.company_id!) ?? []), transfer.amount]);
    }
    const paidSellers = live.filter((s) => s.share >= 25_000_000);
    expect(transfers.size).toBe(paidSellers.length);
    for (const s of paidSellers) expect(transfers.get(s.id), s.id).toEqual([Math.floor(s.share / 10_000)]);
    expect(await countWhere("SELECT count(*) AS n FROM mail_outbox WHERE id LIKE ?", `payout-report:po_${period}_co_fan_%`)).toBe(mailed);

    // The next daily run finds nothing left to do.
    expect(await dueSellers(createDb(env.DB), monthOf(period))).toEqual({ due: [], skipped: sellers.filter((s) => s.frozen).map((s) => s.id).sort() });

    console.log(
      `payout fan-out: ${live.length} sellers paid or rolled over (${paidSellers.length} transfers), ${FROZEN} frozen skipped; ` +
        `generated in ${(generatedIn / 1000).toFixed(1)} s, queued by the cron in ${enqueuedIn} ms, all settled (reports stored, mailed) ` +
        `${(settledIn / 1000).toFixed(1)} s after the cron: ${((settledIn / live.length) * 1000).toFixed(0)} µs a seller`,
    );
  });

  it(`costs a fixed number of D1 queries per seller, whatever its history, and a fixed number to find ${DUE} sellers due`, { timeout: 300_000 }, async () => {
    await stripe.control("/balance", { amount: String(10_000_000_00) });
    // A seller with two years of sales before the month paid ($27 carried in): the payout reads rollups, not the history.
    const [old] = await generateSellers("hist", 1, utc(2037, 1, 1), { stripeAccounts: true });
    const history = Array.from({ length: 700 }, (_, day) => [
      `hist_buyer:h${day}`, "hist_buyer", 10_000 + day, "charge", `req_hist_${day}`, -1, 0, `ast_hist_${day % 7}`, "asset", old!.id, 10_000, 10_000, 0, 500_000, null, utc(2037, 1, 2) + day * 86_400_000,
    ]);
    await batched(inserts("transactions", ["id", "company_id", "seq", "kind", "operation_id", "amount", "balance_after", "product_id", "product_type", "seller_company_id", "gross_usd", "seller_share_usd", "platform_fee_usd", "usd_per_credit", "reason", "created_at"], history, "ON CONFLICT(id) DO NOTHING"));
    const sample = [old!, ...(await generateSellers("few", 9, utc(2039, 9, 10), { stripeAccounts: true }))];

    const { db, counter } = countingD1(env.DB);
    const drizzleDb = createDb(db);
    const deps = { db: drizzleDb, stripe: stripeClient(env), reports: env.REPORTS, mailer: outboxMailer(drizzleDb, env.MAIL_FROM) };
    const perSeller: number[] = [];
    for (const s of sample) {
      const before = counter.statements;
      const outcome = await paySeller(deps, s.id, monthOf("2039-09"), "run_counted");
      expect(outcome.paid.length + outcome.rolledOver.length, s.id).toBe(1);
      perSeller.push(counter.statements - before);
    }
    // Paid with its report stored and mailed: the most a seller costs. The long history costs nothing more.
    expect(Math.max(...perSeller)).toBeLessThanOrEqual(16);
    expect(perSeller[0]).toBeLessThanOrEqual(Math.max(...perSeller.slice(1)));

    // The producer: DUE sellers due in one month, found in a fixed number of queries, sent 100 a batch.
    await generateSellers("ten", DUE, utc(2039, 11, 5), { stripeAccounts: false });
    const producerBefore = counter.statements;
    const dueStarted = Date.now();
    const found = await dueSellers(drizzleDb, monthOf("2039-11"));
    const dueIn = Date.now() - dueStarted;
    const producerQueries = counter.statements - producerBefore;
    expect(found.due.filter((id) => id.startsWith("co_ten_"))).toHaveLength(DUE);
    expect(producerQueries).toBe(8);
    const sent: number[] = [];
    const fakeQueue = { sendBatch: async (messages: unknown[]) => void sent.push(messages.length) } as unknown as Queue;
    const result = await enqueuePayouts({ db: drizzleDb, queues: { payouts: fakeQueue } }, monthOf("2039-11"));
    expect(result.enqueued).toBe(found.due.length);
    expect(Math.max(...sent)).toBe(100);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(found.due.length);

    console.log(
      `payout costs: D1 statements per seller ${Math.min(...perSeller)}–${Math.max(...perSeller)} (the one with 700 days of history: ${perSeller[0]}), ` +
        `so a consumer batch of 10 makes at most ${Math.max(...perSeller) * 10}; the producer finds ${found.due.length} sellers due in ` +
        `${producerQueries} queries (${dueIn} ms) and sends them in ${sent.length} sendBatch calls`,
    );
  });
});
