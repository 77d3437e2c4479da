/**
 * Wallet throughput benchmark: `POST /__bench/wallet/charge?n=5000&concurrency=64`.
 * Funds a fresh wallet, runs `n` charges from this Worker with `concurrency`
 * in flight, and checks the books afterwards. Mounted only when BENCH is set.
 */
import { Hono } from "hono";
import { randomToken } from "../ids";
import { MICRO, priceSale, type Credits, type Usd } from "../money";
import { wallet } from "../wallet/client";

const RATE = { usdPerCredit: 500_000 as Usd, platformFeeBps: 2_000 };
/** A typical endpoint price: half a cent per request. */
const PRICE = 5_000 as Usd;

function intParam(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value ?? fallback);
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

export const benchWallet = new Hono<{ Bindings: Env }>();

benchWallet.post("/__bench/wallet/charge", async (c) => {
  const n = intParam(c.req.query("n"), 5_000, 100_000);
  const concurrency = intParam(c.req.query("concurrency"), 64, 1_024);
  const w = wallet(c.env, `bench_${randomToken(12)}`);
  const { credits: cost, ...split } = priceSale(PRICE, RATE);
  const sale = {
    productId: "bench_product",
    productType: "endpoint" as const,
    sellerCompanyId: "bench_seller",
    grossUsd: split.gross,
    sellerShareUsd: split.sellerShare,
    platformFeeUsd: split.platformFee,
    usdPerCredit: split.usdPerCredit,
  };
  const deposited = (n * cost + 10 * MICRO) as Credits;
  await w.deposit({ id: "bench_funding", kind: "grant", credits: deposited, usdPerCredit: RATE.usdPerCredit });

  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await w.charge({ id: `bench_charge_${i}`, credits: cost, sale });
      }
    }),
  );
  const ms = Math.max(performance.now() - started, 1);

  const [balance, audit] = await Promise.all([w.balance(), w.audit()]);
  const balanceOk = balance.balance === deposited - n * cost && audit.ok && audit.ledgerSum === balance.balance;
  return c.json({ n, concurrency, ms: Math.round(ms), opsPerSec: Math.round((n * 1000) / ms), balanceOk });
});
