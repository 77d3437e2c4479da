import type { LedgerKind } from "../db/schema";
import type { Credits, Usd } from "../money";

export type ProductType = "asset" | "endpoint";

/** Deposit kinds: how credits enter a wallet. */
export const depositKinds = ["purchase", "subscription", "grant", "allocation", "refund"] as const;
export type DepositKind = (typeof depositKinds)[number];

/** What a billed movement sold, for the ledger and the seller's earnings. */
export interface Sale {
  productId: string;
  productType: ProductType;
  sellerCompanyId: string;
  grossUsd: Usd;
  sellerShareUsd: Usd;
  platformFeeUsd: Usd;
  /** Micro-dollars per credit in force when the price was converted. */
  usdPerCredit: Usd;
}

export interface DepositInput {
  /** Caller-chosen idempotency id (a Stripe object id, an admin action id, ...). */
  id: string;
  kind: DepositKind;
  credits: Credits;
  /** Epoch ms after which what is left of these credits expires. Purchases never expire. */
  expiresAt?: number;
  reason?: string;
  /** Set on refunds of a sale: the seller's share is reversed. */
  sale?: Sale;
  /** Micro-dollars per credit, recorded on the entry. */
  usdPerCredit: Usd;
}

export interface HoldInput {
  /** Caller-chosen id; the hold is known by it afterwards. */
  id: string;
  credits: Credits;
  /** How long the hold lives before the alarm releases it. Default five minutes. */
  ttlMs?: number;
}

export interface CommitInput {
  /** The hold's id. */
  id: string;
  /** At most the held amount; the rest is released. Default: all of it. */
  credits?: Credits;
  sale: Sale;
}

export interface ChargeInput {
  id: string;
  credits: Credits;
  sale: Sale;
}

export interface AdjustInput {
  id: string;
  /** Credits to take away (positive). */
  credits: Credits;
  reason: string;
  usdPerCredit: Usd;
}

export type HoldStatus = "held" | "committed" | "released" | "expired";

export interface HoldView {
  id: string;
  credits: Credits;
  status: HoldStatus;
  /** Credits committed (0 unless committed). */
  committed: Credits;
  /** When an open hold lapses. For a charge (never held), the time of the charge. */
  expiresAt: number;
}

export interface LedgerEntry {
  id: string;
  seq: number;
  kind: LedgerKind;
  operationId: string;
  amount: Credits;
  balanceAfter: Credits;
  productId: string | null;
  productType: ProductType | null;
  sellerCompanyId: string | null;
  grossUsd: Usd | null;
  sellerShareUsd: Usd | null;
  platformFeeUsd: Usd | null;
  usdPerCredit: Usd;
  reason: string | null;
  createdAt: number;
}

export interface BalanceView {
  /** Deposits minus commits minus expiries: what the ledger sums to. */
  balance: Credits;
  held: Credits;
  /** balance - held, never negative. */
  available: Credits;
  lowBalanceThreshold: Credits;
  lowBalanceWarning: boolean;
}

export interface HistoryQuery {
  limit?: number;
  /** Return entries with seq below this (for paging backwards). */
  beforeSeq?: number;
  kinds?: LedgerKind[];
  from?: number;
  to?: number;
}

/** Outcome of a hold or a release. */
export interface HoldResult {
  hold: HoldView;
  available: Credits;
}

/** Outcome of a commit or a charge: the settled hold and its charge entry. */
export interface CommitResult {
  hold: HoldView;
  entry: LedgerEntry;
  available: Credits;
}

export interface FlushResult {
  /** False when D1 refused; the entries stay queued and the alarm retries. */
  ok: boolean;
  flushed: number;
  pending: number;
}

/** The wallet's books recomputed from storage, against what it keeps in memory. */
export interface AuditView {
  balance: Credits;
  held: Credits;
  ledgerSum: Credits;
  heldInHolds: Credits;
  /** Unspent, unheld credits left in deposit lots. */
  lotsRemaining: Credits;
  entries: number;
  /** ledgerSum == balance, heldInHolds == held, lotsRemaining == balance - held >= 0. */
  ok: boolean;
}
