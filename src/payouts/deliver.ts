/**
 * After a payout settles (paid or rolled over): its PDF report goes to R2
 * and is e-mailed to the company's billing address. Each step records its
 * completion on the payout (`report_key`, `mailed_at`), and the mail id is
 * the payout's, so a run that stopped halfway finishes the rest next time
 * without a second e-mail.
 */
import { asc, eq } from "drizzle-orm";
import type { Company } from "../companies/service";
import type { Db } from "../db";
import { payoutLines, payouts } from "../db/schema";
import { formatUsd, payoutReportPdf, periodName } from "./report";
import type { Payout } from "./create";
import type { Mailer } from "./mail";

export interface DeliverDeps {
  db: Db;
  reports: R2Bucket;
  mailer: Mailer;
}

export function reportKey(payout: Pick<Payout, "companyId" | "id">): string {
  return `payouts/${payout.companyId}/${payout.id}.pdf`;
}

export function reportFilename(payout: Pick<Payout, "period">): string {
  return `tessera-payout-${payout.period}.pdf`;
}

/** Whether a settled payout still needs its report stored or mailed. */
export function needsDelivery(payout: Payout, billingEmail: string | null): boolean {
  if (payout.status !== "paid" && payout.status !== "rolled_over") return false;
  return payout.reportKey === null || (payout.mailedAt === null && billingEmail !== null);
}

/** Stores and mails what `needsDelivery` says is missing; the caller has checked it. */
export async function deliverReport(deps: DeliverDeps, payout: Payout, company: Company): Promise<{ stored: boolean; mailed: boolean }> {
  const lines = await deps.db.select().from(payoutLines).where(eq(payoutLines.payoutId, payout.id)).orderBy(asc(payoutLines.productName));
  const pdf = await payoutReportPdf({ company, payout, lines });
  const key = reportKey(payout);
  let stored = false;
  if (payout.reportKey === null) {
    await deps.reports.put(key, pdf, {
      httpMetadata: { contentType: "application/pdf" },
      customMetadata: { payout: payout.id, company: payout.companyId, period: payout.period },
    });
    await deps.db.update(payouts).set({ reportKey: key, updatedAt: Date.now() }).where(eq(payouts.id, payout.id));
    stored = true;
  }
  let mailed = false;
  if (payout.mailedAt === null && company.billingEmail) {
    await deps.mailer.send({
      id: `payout-report:${payout.id}`,
      to: company.billingEmail,
      subject: `Your Tessera payout report for ${periodName(payout.period)}`,
      text: mailText(company.name, payout),
      attachments: [{ filename: reportFilename(payout), type: "application/pdf", content: pdf }],
    });
    await deps.db.update(payouts).set({ mailedAt: Date.now(), updatedAt: Date.now() }).where(eq(payouts.id, payout.id));
    mailed = true;
  }
  return { stored, mailed };
}

function mailText(companyName: string, payout: Payout): string {
  const lines = [`Hello ${companyName},`, ""];
  if (payout.status === "paid") {
    lines.push(`We transferred ${formatUsd(payout.amountUsd)} to your Stripe account ${payout.stripeAccountId} for ${periodName(payout.period)} (transfer ${payout.transferId}).`);
  } else {
    lines.push(`Your balance for ${periodName(payout.period)} is below the $25.00 minimum payout, so it rolls over to next month.`);
  }
  lines.push(
    "",
    `Earnings this month: ${formatUsd(payout.earningsUsd)}`,
    `Carried in: ${formatUsd(payout.carriedInUsd)}`,
    `Carried to next month: ${formatUsd(payout.carriedOutUsd)}`,
    "",
    "The attached PDF itemizes your earnings by product type and by product.",
    "",
    "Tessera",
  );
  return lines.join("\n");
}
