/**
 * Wallet throughput, inside workerd, one company, `concurrency` in flight:
 * - `POST /__bench/wallet/charge?n=5000`: a bare `charge`;
 * - `POST /__bench/wallet/metered?n=5000`: the wallet's whole metered
 *   operation (`recordCall`: key check, charge, request-log row), as a
 *   metered endpoint call makes it;
 * - `POST /__bench/wallet/read?n=5000`: a read-only `balance`, the floor an
 *   RPC to the object costs with no storage write.
 * Both fund a fresh wallet and check the books afterwards. Mounted only when BENCH is set.
 */
import { Hono } from "hono";
import { randomToken } from "../ids";
import { MICRO, priceSale, type Credits, type Usd } from "../money";
import { wallet, type WalletClient } from "../wallet/client";
import type { Sale } from "../wallet/types";

const RATE = { usdPerCredit: 500_000 as Usd, platformFeeBps: 2_000 };
/** A typical endpoint price: half a cent per request. */
const PRICE = 5_000 as Usd;

function intParam(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value ?? fallback);
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

export const benchWallet = new Hono<{ Bindings: Env }>();

async function run(
  env: Env,
  n: number,
  concurrency: number,
  op: (w: WalletClient, i: number, cost: Credits, sale: Sale) => Promise<unknown>,
  charges = true,
) {
  const w = wallet(env, `bench_${randomToken(12)}`);
  const { credits: cost, ...split } = priceSale(PRICE, RATE);
  const sale: Sale = {
    productId: "bench_product",
    productType: "endpoint",
    sellerCompanyId: "bench_seller",
    grossUsd: split.gross,
    sellerShareUsd: split.sellerShare,
    platformFeeUsd: split.platformFee,
    usdPerCredit: split.usdPerCredit,
  };
  const deposited = (n * cost + 10 * MICRO) as Credits;
  await w.deposit({ id: "bench_funding", kind: "grant", credits: deposited, usdPerCredit: RATE.usdPerCredit });
  const before = await w.storageStats();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(w, next++, cost, sale);
    }),
  );
  const ms = Math.max(performance.now() - started, 1);
  const after = await w.storageStats();
  const [balance, audit] = await Promise.all([w.balance(), w.audit()]);
  const balanceOk = balance.balance === deposited - (charges ? n * cost : 0) && audit.ok && audit.ledgerSum === balance.balance;
  // Rows written per operation (indexes included), and by the feed's sends meanwhile (its cursors), per operation.
  const perOp = (rows: number) => Math.round((rows / n) * 100) / 100;
  const rowsPerOp = perOp(after.rowsWritten - before.rowsWritten);
  const feedRowsPerOp = perOp(after.feed.rowsWritten - before.feed.rowsWritten);
  return { n, concurrency, ms: Math.round(ms), opsPerSec: Math.round((n * 1000) / ms), rowsPerOp, feedRowsPerOp, balanceOk };
}

benchWallet.post("/__bench/wallet/charge", async (c) => {
  const n = intParam(c.req.query("n"), 5_000, 100_000);
  const concurrency = intParam(c.req.query("concurrency"), 64, 1_024);
  return c.json(await run(c.env, n, concurrency, (w, i, credits, sale) => w.charge({ id: `bench_charge_${i}`, credits, sale })));
});

benchWallet.post("/__bench/wallet/metered", async (c) => {
  const n = intParam(c.req.query("n"), 5_000, 100_000);
  const concurrency = intParam(c.req.query("concurrency"), 64, 1_024);
  const startedAt = Date.now();
  return c.json(
    await run(c.env, n, concurrency, (w, i, credits, sale) =>
      w.recordCall({
        call: { requestId: `req_bench_${i}`, keyId: "ekey_bench", productId: sale.productId, productType: "endpoint", sellerCompanyId: sale.sellerCompanyId, channel: "api", method: "GET", startedAt },
        result: { ok: true, rows: 20 },
        durationMs: 1,
        due: { credits, sale },
      }),
    ),
  );
});

benchWallet.post("/__bench/wallet/read", async (c) => {
  const n = intParam(c.req.query("n"), 5_000, 100_000);
  const concurrency = intParam(c.req.query("concurrency"), 64, 1_024);
  return c.json(await run(c.env, n, concurrency, (w) => w.balance(), false));
});
