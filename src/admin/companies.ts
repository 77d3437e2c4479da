/**
 * Platform admins: find companies by name or id, with each one's balance and
 * standing, and look at one closely (its credits and, for a seller, its next
 * payout).
 */
import { and, desc, eq, ne, or, sql, type SQL } from "drizzle-orm";
import { balanceView } from "../credits/service";
import type { Db } from "../db";
import { companies } from "../db/schema";
import { pastKey } from "../paging";
import { earningsSummary } from "../payouts/earnings";
import { earningsSummaryView } from "../payouts/views";
import { currentRate } from "../rates";
import type { Services } from "../services";
import { companyView } from "../companies/router";
import { getCompany, PLATFORM_COMPANY_ID, type Company } from "../companies/service";

export interface CompanySearch {
  /** A part of the name, or a whole id. */
  query?: string | undefined;
  role?: "buyer" | "seller" | undefined;
}

/** Newest first; page on `after` the last one's [createdAt, id]. The platform's own company is left out. */
export async function searchCompanies(db: Db, search: CompanySearch, page: { limit: number; after?: readonly [number, string] | undefined }): Promise<Company[]> {
  const where: (SQL | undefined)[] = [pastKey("desc", [companies.createdAt, companies.id], page.after)];
  const words = search.query?.trim();
  if (words) {
    const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(eq(companies.id, words), sql`${companies.name} LIKE ${pattern} ESCAPE '\\'`));
  }
  if (search.role === "buyer") where.push(eq(companies.isBuyer, true));
  if (search.role === "seller") where.push(eq(companies.isSeller, true));
  return db
    .select()
    .from(companies)
    .where(and(...where, ne(companies.id, PLATFORM_COMPANY_ID)))
    .orderBy(desc(companies.createdAt), desc(companies.id))
    .limit(page.limit);
}

/** Each company with its balance: one wallet read each, in parallel (a page holds at most 100). */
export async function withBalances(s: Services, list: Company[]) {
  const { db } = s;
  const rate = await currentRate(db);
  return Promise.all(
    list.map(async (company) => ({ ...companyView(company), credits: balanceView(await s.wallet(company.id).balance(), rate) })),
  );
}

/** One company as an admin reviews it: its view, credits, and a seller's earnings and next payout. */
export async function companyDetail(s: Services, id: string) {
  const { db } = s;
  const company = await getCompany(db, id);
  const [withCredits] = await withBalances(s, [company]);
  const earnings = company.isSeller ? earningsSummaryView(await earningsSummary(db, company.id)) : null;
  return { ...withCredits!, earnings };
}
