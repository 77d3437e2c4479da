import type { LedgerKind } from "./kinds";
import type { Credits, Usd } from "../money";
import type { HoldStatus, HoldView, LedgerEntry, ProductType } from "./types";

/** A `ledger` row as SQLite returns it. */
export type LedgerRow = {
  seq: number;
  kind: string;
  operation_id: string;
  amount: number;
  balance_after: number;
  product_id: string | null;
  product_type: string | null;
  seller_company_id: string | null;
  gross_usd: number | null;
  seller_share_usd: number | null;
  platform_fee_usd: number | null;
  usd_per_credit: number;
  reason: string | null;
  created_at: number;
};

export const LEDGER_COLUMNS =
  "seq, kind, operation_id, amount, balance_after, product_id, product_type, seller_company_id, gross_usd, seller_share_usd, platform_fee_usd, usd_per_credit, reason, created_at";

/** The entry's id: unique across wallets, the same in the wallet and in D1. */
export function entryId(companyId: string, seq: number): string {
  return `${companyId}:${seq}`;
}

export function toEntry(companyId: string, row: LedgerRow): LedgerEntry {
  return {
    id: entryId(companyId, row.seq),
    seq: row.seq,
    kind: row.kind as LedgerKind,
    operationId: row.operation_id,
    amount: row.amount as Credits,
    balanceAfter: row.balance_after as Credits,
    productId: row.product_id,
    productType: row.product_type as ProductType | null,
    sellerCompanyId: row.seller_company_id,
    grossUsd: row.gross_usd as Usd | null,
    sellerShareUsd: row.seller_share_usd as Usd | null,
    platformFeeUsd: row.platform_fee_usd as Usd | null,
    usdPerCredit: row.usd_per_credit as Usd,
    reason: row.reason,
    createdAt: row.created_at,
  };
}

/** A `holds` row as SQLite returns it. */
export type HoldRow = {
  id: string;
  kind: "hold" | "charge";
  credits: number;
  status: HoldStatus;
  committed: number;
  expires_at: number;
  created_at: number;
  fingerprint: string;
  available_after: number;
  entry_seq: number | null;
  resolution_fingerprint: string | null;
  resolution_available: number | null;
};

export function holdView(row: HoldRow, status: HoldStatus = row.status, committed = row.committed): HoldView {
  return {
    id: row.id,
    credits: row.credits as Credits,
    status,
    committed: committed as Credits,
    expiresAt: row.expires_at,
  };
}
