/**
 * Spending caps on a company's keys (its API keys and its endpoint keys): at
 * most so many credits per UTC day, per month, and in total. A company admin
 * sets them; the company's wallet keeps and enforces them in the same
 * transaction as every charge or hold (src/wallet/keys.ts), so no amount of
 * concurrency spends past one. A call past a cap is BUDGET_EXCEEDED, unbilled.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { apiKeys, endpointKeys } from "../db/schema";
import { TesseraError } from "../errors";
import { toDecimalNumber, type Credits } from "../money";
import type { KeyUsage } from "../wallet/keys";
import type { Services } from "../services";

export interface CapsInput {
  perDay: Credits | null;
  perMonth: Credits | null;
  total: Credits | null;
}

/** One of the company's keys, API key or endpoint key; anyone else's is NOT_FOUND. */
async function requireOwnKey(db: Db, companyId: string, keyId: string): Promise<void> {
  const [company, endpoint] = await Promise.all([
    db.query.apiKeys.findFirst({ where: and(eq(apiKeys.id, keyId), eq(apiKeys.companyId, companyId)), columns: { id: true } }),
    db.query.endpointKeys.findFirst({ where: and(eq(endpointKeys.id, keyId), eq(endpointKeys.buyerCompanyId, companyId)), columns: { id: true } }),
  ]);
  if (!company && !endpoint) throw new TesseraError("NOT_FOUND", `No key ${keyId}.`);
}

export async function setKeyCaps(s: Services, companyId: string, keyId: string, caps: CapsInput) {
  const { db } = s;
  await requireOwnKey(db, companyId, keyId);
  return usageView(await s.wallet(companyId).setCaps(keyId, caps));
}

/** Each key's spending, caps and room left, by key id. */
export async function keysUsage(s: Services, companyId: string, keyIds: string[]): Promise<Map<string, ReturnType<typeof usageView>>> {
  if (keyIds.length === 0) return new Map();
  const usage = await s.wallet(companyId).keyUsage(keyIds);
  return new Map(usage.map((u) => [u.keyId, usageView(u)]));
}

const credits = (micro: number | null) => (micro === null ? null : toDecimalNumber(micro));

/** A key's usage as people read it: whole credits. */
export function usageView(u: KeyUsage) {
  return {
    caps: u.caps && { perDayCredits: credits(u.caps.perDay), perMonthCredits: credits(u.caps.perMonth), totalCredits: credits(u.caps.total) },
    spentCredits: { day: toDecimalNumber(u.spent.day), month: toDecimalNumber(u.spent.month), total: toDecimalNumber(u.spent.total) },
    billedCalls: u.calls,
    remainingCredits: u.remaining && { day: credits(u.remaining.day), month: credits(u.remaining.month), total: credits(u.remaining.total) },
  };
}
