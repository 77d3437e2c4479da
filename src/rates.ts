import { asc } from "drizzle-orm";
import type { Db } from "./db";
import { creditRates } from "./db/schema";
import { TesseraError } from "./errors";
import { asUsd, type CreditRate } from "./money";

/**
 * The credit's value and the platform fee, as data with history: rows of
 * `credit_rates`, each in force from its `effective_at` until the next.
 *
 * The whole schedule is kept per isolate (src/caches.ts) and read again in
 * the background when it is older than REFRESH_MS (an hour), so a metered
 * call reads no D1. That is exact as long as a new rate is added at least
 * REFRESH_MS before it takes effect, which is the rule for changing the
 * rate: rates are announced ahead (the source document says the value may
 * change), never switched in place.
 */
export const REFRESH_MS = 60 * 60_000;

type Rate = CreditRate & { id: number; effectiveAt: number };
let schedule: { rates: Rate[]; loadedAt: number } | undefined;
let loading: Promise<Rate[]> | undefined;

async function load(db: Db, now: number): Promise<Rate[]> {
  loading ??= db
    .select()
    .from(creditRates)
    .orderBy(asc(creditRates.effectiveAt), asc(creditRates.id))
    .then((rows) => {
      const rates = rows.map((r) => ({ id: r.id, effectiveAt: r.effectiveAt, usdPerCredit: asUsd(r.usdPerCredit), platformFeeBps: r.platformFeeBps }));
      schedule = { rates, loadedAt: now };
      return rates;
    })
    .finally(() => {
      loading = undefined;
    });
  return loading;
}

/** The rate in force at `now` (the newest row whose time has come). */
export async function currentRate(db: Db, now = Date.now()): Promise<CreditRate & { id: number }> {
  let rates = schedule?.rates;
  if (!rates) rates = await load(db, now);
  else if (now - schedule!.loadedAt > REFRESH_MS) void load(db, now).catch(() => undefined);
  let inForce: Rate | undefined;
  for (const rate of rates) if (rate.effectiveAt <= now) inForce = rate;
  if (!inForce) throw new TesseraError("INTERNAL", "No credit rate is configured.");
  return { id: inForce.id, usdPerCredit: inForce.usdPerCredit, platformFeeBps: inForce.platformFeeBps };
}
