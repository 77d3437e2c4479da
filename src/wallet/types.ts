import type { LedgerKind } from "./kinds";
import type { Credits, Usd } from "../money";

export type ProductType = "asset" | "endpoint";

/** Deposit kinds: how credits enter a wallet. */
export const depositKinds = ["top_up", "plan", "grant", "allocation", "refund"] as const;
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
  /** The operation id, chosen by the caller (a Stripe object id, an admin action id, ...). */
  id: string;
  kind: DepositKind;
  credits: Credits;
  /** Epoch ms after which what is left of these credits expires. Top-ups never expire. */
  expiresAt?: number;
  reason?: string;
  /** Set on refunds of a sale: the seller's share is reversed. */
  sale?: Sale;
  /** Micro-dollars per credit, recorded on the entry. */
  usdPerCredit: Usd;
}

export interface HoldInput {
  /** The operation id, chosen by the caller; the hold is known by it afterwards. */
  id: string;
  credits: Credits;
  /** How long the hold lives before the alarm releases it. Default five minutes. */
  ttlMs?: number;
}

export interface CommitInput {
  /** The hold's operation id. */
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


/** The wallet's books recomputed from storage, against what it keeps in memory. */
export interface AuditView {
  balance: Credits;
  held: Credits;
  ledgerSum: Credits;
  heldInHolds: Credits;
  /** Unspent, unheld credits left in deposit lots. */
  lotsRemaining: Credits;
  entries: number;
  /** Request-log rows (metered calls). */
  calls: number;
  /** ledgerSum == balance, heldInHolds == held, lotsRemaining == balance - held >= 0. */
  ok: boolean;
}

// --- metered calls ------------------------------------------------------------------------

/** Where a metered call came in: the REST API, the admin app, or the MCP server. */
export type CallChannel = "api" | "app" | "mcp";

/** What the wallet records of one metered call: its request-log row, whatever the outcome. */
export interface CallFacts {
  /** This attempt's id; the log row's id. */
  requestId: string;
  /** The key (or signed-in member) that made the call. */
  keyId: string;
  /** The product called; its type and seller are null when it was not found. */
  productId: string;
  productType: ProductType | null;
  sellerCompanyId: string | null;
  channel: CallChannel;
  method: string;
  /** Epoch ms when the call came in. */
  startedAt: number;
}

/** How the work of a call went, before the wallet had its say. */
export type WorkResult =
  | { ok: true; rows: number | null }
  | { ok: false; status: number; code: string };

/** The price a successful call pays: credits and the sale behind them. Absent for free products and a seller's own calls. */
export interface Due {
  credits: Credits;
  sale: Sale;
}

/**
 * A buyer's `Idempotency-Key`, scoped to the key that sent it. Its first
 * attempt's request id is the one wallet operation id every retry maps to.
 */
export interface ReplayScope {
  /** `${keyId}:${idempotencyKey}` */
  scope: string;
  /** What the call asked for: the same scope with another request is CONFLICT. */
  requestHash: string;
}

/** The stored answer of a finished call, kept for replays: inline, or in R2 when large. */
export interface StoredAnswer {
  status: number;
  body?: string;
  /** R2 key (REPLAYS bucket) of a body too large to keep in the wallet. */
  bodyRef?: string;
}

/** What the wallet decided about a call: the outcome the response reports. */
export interface CallOutcome {
  requestId: string;
  /** The ledger's operation id for this call: the first attempt's request id. */
  operationId: string;
  status: number;
  code: string | null;
  billed: boolean;
  /** Micro-credits charged (0 unless billed). */
  credits: Credits;
  available: Credits;
  /** The charge's ledger entry id, when billed. */
  entryId: string | null;
  /** For a key with spending caps: the room left under each (micro-credits), after this call. */
  budget: { day: Credits | null; month: Credits | null; total: Credits | null } | null;
  /** This call is the company's first 200 from the product. */
  firstUse: boolean;
}

export interface RecordCallInput {
  call: CallFacts;
  result: WorkResult;
  durationMs: number;
  due: Due | null;
  replay?: ReplayScope & { answer?: StoredAnswer };
}

export type ReplayStart =
  | { kind: "new"; operationId: string }
  | { kind: "replay"; operationId: string; answer: StoredAnswer };

export interface OpenCallInput {
  call: CallFacts;
  /** Credits to hold while the work runs (0: free, or the seller's own). */
  hold: Credits;
  ttlMs?: number;
  replay?: ReplayScope;
}

export type OpenCallResult =
  | { kind: "opened"; operationId: string; available: Credits }
  | { kind: "refused"; outcome: CallOutcome }
  | { kind: "replay"; operationId: string; answer: StoredAnswer };

/** A stored asset result (a Purchase), written with the charge that paid for it. */
export interface PurchaseInput {
  id: string;
  /** The result as JSON text. */
  result: string;
  priceUsd: Usd;
}

export interface CloseCallInput {
  requestId: string;
  result: WorkResult;
  durationMs: number;
  due: Due | null;
  purchase?: PurchaseInput;
  replay?: ReplayScope & { answer?: StoredAnswer };
}

export interface PurchaseView {
  id: string;
  productId: string;
  operationId: string;
  result: string;
  credits: Credits;
  priceUsd: Usd;
  createdAt: number;
}

export interface CallRecord {
  requestId: string;
  operationId: string;
  keyId: string;
  productId: string;
  productType: ProductType | null;
  sellerCompanyId: string | null;
  channel: CallChannel;
  method: string;
  status: number;
  errorCode: string | null;
  rows: number | null;
  billed: boolean;
  credits: Credits;
  entrySeq: number | null;
  durationMs: number;
  createdAt: number;
}
