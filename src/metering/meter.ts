import { TesseraError } from "../errors";
import { asUsd, priceSale, toDecimalNumber, type CreditRate, type Credits, type Usd } from "../money";
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
  /**
   * `hold` (default): reserve, work, then commit or release. `charge`: work,
   * then charge in one step; for read-only work, where it moves the same
   * credits with one wallet round trip instead of two.
   */
  settle?: "hold" | "charge";
  /** Unique per attempt: the id of the wallet operation (hold or charge) too. */
  requestId: string;
}

export interface Metered<T> {
  result: T;
  billing: Billing;
  entry: LedgerEntry | null;
}

/** The billing of a call that moved no credits. */
export function unbilled(requestId: string): Billing {
  return { billed: false, credits: 0, request_id: requestId };
}

/** The part of a product that billing reads. */
export function sellable(product: { id: string; type: ProductType; sellerCompanyId: string; priceUsd: number }): Sellable {
  return { id: product.id, type: product.type, sellerCompanyId: product.sellerCompanyId, priceUsd: asUsd(product.priceUsd) };
}

/** What `buyerCompanyId` pays for one use of `product` at `rate`: nothing for a free product or the seller's own. */
export function creditsDue(
  product: Pick<Sellable, "priceUsd" | "sellerCompanyId">,
  buyerCompanyId: string,
  rate: CreditRate,
  sale = priceSale(product.priceUsd, rate),
): Credits {
  return buyerCompanyId === product.sellerCompanyId ? (0 as Credits) : sale.credits;
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
  const notBilled: Billing = { ...unbilled(requestId), ...price };
  if (creditsDue(product, input.buyerCompanyId, rate, sale) === 0) {
    return { result: await work(), billing: notBilled, entry: null };
  }

  const purse = wallet(env, input.buyerCompanyId);
  const sold = {
    productId: product.id,
    productType: product.type,
    sellerCompanyId: product.sellerCompanyId,
    grossUsd: sale.gross,
    sellerShareUsd: sale.sellerShare,
    platformFeeUsd: sale.platformFee,
    usdPerCredit: sale.usdPerCredit,
  };
  const billed: Billing = { billed: true, credits: toDecimalNumber(sale.credits), request_id: requestId, ...price };

  if (input.settle === "charge") {
    // Read-only work: nothing to reserve against, so charge once it has succeeded.
    const result = await work().catch((error: unknown) => {
      throw withBilling(error, notBilled);
    });
    const { entry } = await purse
      .charge({ id: input.requestId, credits: sale.credits as Credits, sale: sold })
      .catch((error: unknown) => {
        throw withBilling(error, notBilled);
      });
    return { result, billing: billed, entry };
  }

  const [hold, done] = await Promise.allSettled([
    purse.hold({ id: input.requestId, credits: sale.credits as Credits, ttlMs: HOLD_TTL_MS }),
    work(),
  ]);
  if (hold.status === "rejected") throw withBilling(hold.reason, notBilled);
  if (done.status === "rejected") {
    await purse.release({ id: input.requestId }).catch((error: unknown) => {
      // The hold expires on its own; the buyer is not charged either way.
      console.error("release failed; the hold will expire", input.requestId, error);
    });
    throw withBilling(done.reason, notBilled);
  }
  const { entry } = await purse.commit({ id: input.requestId, sale: sold });
  return { result: done.value, billing: billed, entry };
}

/**
 * A failure of metered work: the Tessera error behind it (unknown failures
 * become INTERNAL) with the billing object its response must show.
 */
export class MeteredError extends TesseraError {
  constructor(
    readonly original: unknown,
    readonly billing: Billing,
  ) {
    const known = errorOf(original);
    super(known.code, known.message, { billing });
  }
}

function withBilling(error: unknown, billing: Billing): MeteredError {
  return new MeteredError(error, billing);
}

/** The Tessera error behind a failure (unknown failures are INTERNAL). */
export function errorOf(error: unknown): TesseraError {
  return error instanceof TesseraError ? error : new TesseraError("INTERNAL", "Something went wrong on our side.");
}
