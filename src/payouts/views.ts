import { toDecimalNumber } from "../money";
import type { Payout, PayoutLine } from "./create";
import type { EarningsSummary, ProductEarnings, TypeEarnings } from "./earnings";
import { byType } from "./earnings";
import { dollars } from "./money";

const TYPE_NAMES = { asset: "ASSET", endpoint: "ENDPOINT" } as const;

/** Product types as the source document writes them. */
export const typeName = (type: "asset" | "endpoint") => TYPE_NAMES[type];

/** `GET /companies/:companyId/earnings`, field for field as in the first source document. */
export function earningsRestView(summary: EarningsSummary) {
  const top = summary.topProduct;
  return {
    pending_payout_usd: dollars(summary.pendingPayoutUsd),
    total_earned_usd: dollars(summary.totalEarnedUsd),
    asset_executions_30d: summary.assetExecutions30d,
    endpoint_requests_30d: summary.endpointRequests30d,
    top_product: top
      ? { name: top.name, type: TYPE_NAMES[top.type], transactions_30d: top.transactions30d, revenue_30d: dollars(top.revenue30d) }
      : null,
  };
}

/** The same figures for tRPC, with the exact micro-dollar amounts beside the rounded ones. */
export function earningsSummaryView(summary: EarningsSummary) {
  const top = summary.topProduct;
  return {
    pendingPayoutUsd: dollars(summary.pendingPayoutUsd),
    totalEarnedUsd: dollars(summary.totalEarnedUsd),
    assetExecutions30d: summary.assetExecutions30d,
    endpointRequests30d: summary.endpointRequests30d,
    topProduct: top
      ? { productId: top.productId, name: top.name, type: TYPE_NAMES[top.type], transactions30d: top.transactions30d, revenue30d: dollars(top.revenue30d) }
      : null,
    exact: { pendingPayoutUsd: toDecimalNumber(summary.pendingPayoutUsd), totalEarnedUsd: toDecimalNumber(summary.totalEarnedUsd) },
  };
}

export function typeEarningsView(t: TypeEarnings) {
  return { type: TYPE_NAMES[t.productType], sales: t.sales, refunds: t.refunds, earningsUsd: dollars(t.earningsUsd), exactEarningsUsd: toDecimalNumber(t.earningsUsd) };
}

export function payoutView(payout: Payout) {
  return {
    id: payout.id,
    period: payout.period,
    periodStart: payout.periodStart,
    periodEnd: payout.periodEnd,
    // Being transferred right now is still pending to the seller.
    status: payout.status === "sending" ? "pending" : payout.status,
    earningsUsd: dollars(payout.earningsUsd),
    carriedInUsd: dollars(payout.carriedInUsd),
    amountUsd: dollars(payout.amountUsd),
    carriedOutUsd: dollars(payout.carriedOutUsd),
    /** To the micro-dollar: sub-cent remainders carried forward are visible here. */
    exact: {
      earningsUsd: toDecimalNumber(payout.earningsUsd),
      carriedInUsd: toDecimalNumber(payout.carriedInUsd),
      amountUsd: toDecimalNumber(payout.amountUsd),
      carriedOutUsd: toDecimalNumber(payout.carriedOutUsd),
    },
    stripeAccountId: payout.stripeAccountId,
    transferId: payout.transferId,
    attempt: payout.attempt,
    failure: payout.failureCode ? { code: payout.failureCode, message: payout.failureMessage } : null,
    reportAvailable: payout.reportKey !== null,
    mailedAt: payout.mailedAt,
    createdAt: payout.createdAt,
    paidAt: payout.paidAt,
  };
}

/** One product's sales, refunds and earnings: a payout's line or a row of the earnings breakdown. */
export function productEarningsView(p: ProductEarnings) {
  return {
    productId: p.productId,
    name: p.name,
    type: TYPE_NAMES[p.productType],
    sales: p.sales,
    refunds: p.refunds,
    earningsUsd: dollars(p.earningsUsd),
    exactEarningsUsd: toDecimalNumber(p.earningsUsd),
  };
}

export function payoutLineView(line: PayoutLine) {
  return productEarningsView({ ...line, name: line.productName });
}

export function payoutDetailView(payout: Payout, lines: PayoutLine[]) {
  return { ...payoutView(payout), byType: byType(lines).map(typeEarningsView), lines: lines.map(payoutLineView) };
}
