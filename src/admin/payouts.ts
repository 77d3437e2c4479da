/**
 * Platform admins: every seller's payouts of a month (or all months), by
 * status, with the seller's name: what is due, paid, failed and why. A
 * failed payout is retried by running the month again (`payouts.run`): each
 * seller's open payouts go first (src/payouts/README.md).
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db";
import { companies, payouts } from "../db/schema";
import { pastKey } from "../paging";
import { payoutView } from "../payouts/views";

/** As sellers see them: `sending` is still pending. */
export const payoutFilter = ["pending", "paid", "failed", "rolled_over"] as const;

export async function monthPayouts(
  db: Db,
  filter: { month?: string | undefined; status?: (typeof payoutFilter)[number] | undefined },
  page: { limit: number; after?: readonly [number, string] | undefined },
) {
  const statuses = filter.status === "pending" ? (["pending", "sending"] as const) : filter.status ? [filter.status] : undefined;
  const rows = await db
    .select({ payout: payouts, sellerName: companies.name })
    .from(payouts)
    .leftJoin(companies, eq(companies.id, payouts.companyId))
    .where(
      and(
        filter.month ? eq(payouts.period, filter.month) : undefined,
        statuses ? inArray(payouts.status, [...statuses]) : undefined,
        pastKey("desc", [payouts.createdAt, payouts.id], page.after),
      ),
    )
    .orderBy(desc(payouts.createdAt), desc(payouts.id))
    .limit(page.limit);
  return rows.map((r) => ({ ...payoutView(r.payout), companyId: r.payout.companyId, sellerName: r.sellerName }));
}
