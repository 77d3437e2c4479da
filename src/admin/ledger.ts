/**
 * Platform admins: the credits they granted and took away, with their
 * reasons, read from D1's copy of the wallets' ledgers (newest first).
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db";
import { companies, transactions } from "../db/schema";
import { toDecimalNumber } from "../money";
import { pastKey } from "../paging";

/** What an admin moves by hand: grants, allocations (grants that expire) and adjustments. */
export const adminKinds = ["grant", "allocation", "adjustment"] as const;

export async function adminEntries(
  db: Db,
  filter: { companyId?: string | undefined },
  page: { limit: number; after?: readonly [number, string] | undefined },
) {
  const rows = await db
    .select({
      id: transactions.id,
      companyId: transactions.companyId,
      companyName: companies.name,
      kind: transactions.kind,
      amount: transactions.amount,
      balanceAfter: transactions.balanceAfter,
      reason: transactions.reason,
      createdAt: transactions.createdAt,
    })
    .from(transactions)
    .leftJoin(companies, eq(companies.id, transactions.companyId))
    .where(
      and(
        inArray(transactions.kind, [...adminKinds]),
        filter.companyId ? eq(transactions.companyId, filter.companyId) : undefined,
        pastKey("desc", [transactions.createdAt, transactions.id], page.after),
      ),
    )
    .orderBy(desc(transactions.createdAt), desc(transactions.id))
    .limit(page.limit);
  return rows.map((r) => ({ ...r, credits: toDecimalNumber(r.amount), balanceAfter: toDecimalNumber(r.balanceAfter), amount: undefined }));
}
