import { desc, lte } from "drizzle-orm";
import type { Db } from "./db";
import { creditRates } from "./db/schema";
import { TesseraError } from "./errors";
import { asUsd, type CreditRate } from "./money";

// The rate changes rarely; a short per-isolate cache keeps it off the metered path.
const TTL_MS = 30_000;
let cached: { rate: CreditRate & { id: number }; until: number } | undefined;

/** The credit value and platform fee in force now (the newest row whose time has come). */
export async function currentRate(db: Db, now = Date.now()): Promise<CreditRate & { id: number }> {
  if (cached && cached.until > now) return cached.rate;
  const [row] = await db
    .select()
    .from(creditRates)
    .where(lte(creditRates.effectiveAt, now))
    .orderBy(desc(creditRates.effectiveAt), desc(creditRates.id))
    .limit(1);
  if (!row) throw new TesseraError("INTERNAL", "No credit rate is configured.");
  const rate = { id: row.id, usdPerCredit: asUsd(row.usdPerCredit), platformFeeBps: row.platformFeeBps };
  cached = { rate, until: now + TTL_MS };
  return rate;
}
