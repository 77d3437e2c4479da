import { TesseraError } from "../errors";
import { priceSale, toDecimalNumber, type CreditRate, type Credits, type Usd } from "../money";
import type { LedgerEntry, ProductType } from "../wallet/types";
import { wallet } from "../wallet/client";

/** The `billing` object every metered response carries, success or error. */
export interface Billing {
  billed: boolean;
  /** Credits charged by this request (0 unless billed). */
  credits: number;
  request_id: string;
  /** The price in force, in USD and in credits, when it was known. */
  price_usd?: number;
  price_credits?: number;
  /** Set when an Idempotency-Key replayed an earlier response. */
  replayed?: boolean;
}

export interface Sellable {
  id: string;
  type: ProductType;
  sellerCompanyId: string;
  priceUsd: Usd;
}

export interface MeterInput {
  env: Env;
  buyerCompanyId: string;
  product: Sellable;
  rate: CreditRate;
  /** The hold's id: the request id, unique per attempt. */
  holdId: string;
  requestId: string;
}

export interface Metered<T> {
  result: T;
  billing: Billing;
  entry: LedgerEntry | null;
}

/** How long a hold lives if the worker dies between hold and commit: the alarm releases it. */
const HOLD_TTL_MS = 60_000;

/**
 * Runs billable work the way the money rules say: hold the price, do the work,
 * commit on success, release on any failure. The hold and the work start
 * together so a paid request costs no extra round trip; if the hold is refused
 * the work's result is thrown away unseen. Free products and a seller's calls
 * to its own products move no credits.
 */
export async function meter<T>(input: MeterInput, work: () => Promise<T>): Promise<Metered<T>> {
  const { env, product, rate, requestId } = input;
  const sale = priceSale(product.priceUsd, rate);
  const price = { price_usd: toDecimalNumber(product.priceUsd), price_credits: toDecimalNumber(sale.credits) };
  const unbilled: Billing = { billed: false, credits: 0, request_id: requestId, ...price };
  if (sale.credits === 0 || input.buyerCompanyId === product.sellerCompanyId) {
    return { result: await work(), billing: unbilled, entry: null };
  }

  const purse = wallet(env, input.buyerCompanyId);
  const [hold, done] = await Promise.allSettled([
    purse.hold({ id: input.holdId, credits: sale.credits as Credits, ttlMs: HOLD_TTL_MS }),
    work(),
  ]);
  if (hold.status === "rejected") throw withBilling(hold.reason, unbilled);
  if (done.status === "rejected") {
    await purse.release({ id: input.holdId }).catch((error: unknown) => {
      // The hold expires on its own; the buyer is not charged either way.
      console.error("release failed; the hold will expire", input.holdId, error);
    });
    throw withBilling(done.reason, unbilled);
  }
  const { entry } = await purse.commit({
    id: input.holdId,
    sale: {
      productId: product.id,
      productType: product.type,
      sellerCompanyId: product.sellerCompanyId,
      grossUsd: sale.gross,
      sellerShareUsd: sale.sellerShare,
      platformFeeUsd: sale.platformFee,
      usdPerCredit: sale.usdPerCredit,
    },
  });
  return {
    result: done.value,
    billing: { billed: true, credits: toDecimalNumber(sale.credits), request_id: requestId, ...price },
    entry,
  };
}

/** An error from metered work, carrying the billing object its response must show. */
export class MeteredError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly billing: Billing,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function withBilling(error: unknown, billing: Billing): MeteredError {
  return new MeteredError(error, billing);
}

/** The Tessera error behind a metered failure (unknown failures are INTERNAL). */
export function errorOf(error: unknown): TesseraError {
  const cause = error instanceof MeteredError ? error.cause : error;
  return cause instanceof TesseraError ? cause : new TesseraError("INTERNAL", "Something went wrong on our side.");
}
