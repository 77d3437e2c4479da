/**
 * What every metered call shares, endpoint page or asset execution, REST,
 * the admin app or MCP: who calls, the product's terms now, the price it
 * pays, and settling with the buyer's wallet. A warm call reads no D1: the
 * terms come from the product's object, the spec and the data source from
 * the isolate's caches (src/caches.ts), and the wallet has the last word.
 */
import { specKey, specs } from "../caches";
import { TesseraError } from "../errors";
import { priceSale, type CreditRate } from "../money";
import type { Terms } from "../products/terms";
import type { Services } from "../services";
import type { CallChannel, CallFacts, CallOutcome, Due, ProductType, ReplayScope, StoredAnswer } from "../wallet/types";
import { billingOf, failure, refusalOf, unbilled, withBudget, type Billing, type MeteredAnswer, type Price } from "./billing";
import { replayBody } from "./replay";

/** Who makes a metered call: a key (or a signed-in member) of a buyer company. */
export interface Caller {
  keyId: string;
  companyId: string;
  channel: CallChannel;
}

/** One attempt of a call: its id, when it came in, and how. */
export interface Attempt {
  requestId: string;
  startedAt: number;
  method: string;
}

/** The last version of each product this isolate saw, to ask for the spec only when it changed. */
const seenVersion = new Map<string, number>();

/**
 * A product's terms now, with its spec. NOT_FOUND when there is no such
 * product, or when it is not on sale and the caller is not its seller.
 */
export async function termsFor(s: Services, caller: Caller, productId: string): Promise<Terms & { id: string; spec: unknown }> {
  const known = seenVersion.get(productId);
  let terms = await s.product(productId).terms(known);
  let spec = terms.spec ?? specs.get(specKey(productId, terms.version));
  if (spec === undefined) {
    terms = await s.product(productId).terms();
    spec = terms.spec;
  }
  specs.set(specKey(productId, terms.version), spec);
  if (seenVersion.size > 5_000) seenVersion.clear();
  seenVersion.set(productId, terms.version);
  if (terms.sellerCompanyId !== caller.companyId && !terms.listed) {
    throw new TesseraError("NOT_FOUND", `${terms.type === "asset" ? "Asset" : "Endpoint"} ${productId} is not on sale.`);
  }
  return { ...terms, id: terms.productId, spec };
}

/** What one call of `terms` costs `caller` at `rate`: nothing due for a free product or the seller's own. */
export function dueOf(terms: Terms, caller: Caller, rate: CreditRate): { due: Due | null; price: Price } {
  const sale = priceSale(terms.priceUsd, rate);
  const price = { usd: terms.priceUsd, credits: sale.credits };
  if (sale.credits === 0 || terms.sellerCompanyId === caller.companyId) return { due: null, price };
  return {
    price,
    due: {
      credits: sale.credits,
      sale: {
        productId: terms.productId,
        productType: terms.type,
        sellerCompanyId: terms.sellerCompanyId,
        grossUsd: sale.gross,
        sellerShareUsd: sale.sellerShare,
        platformFeeUsd: sale.platformFee,
        usdPerCredit: sale.usdPerCredit,
      },
    },
  };
}

/** The call as the wallet logs it. Before the product is known, only its id. */
export function factsOf(
  caller: Caller,
  attempt: Attempt,
  product: { id: string; type: ProductType | null; sellerCompanyId: string | null },
): CallFacts {
  return {
    requestId: attempt.requestId,
    keyId: caller.keyId,
    productId: product.id,
    productType: product.type,
    sellerCompanyId: product.sellerCompanyId,
    channel: caller.channel,
    method: attempt.method,
    startedAt: attempt.startedAt,
  };
}

/**
 * A wallet call that settles a metered call, tried again once if its reply
 * was lost. Safe: the wallet keys each settle by the attempt's request id, so
 * a second try returns the first outcome and never charges twice.
 */
export async function settle<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TesseraError) throw error;
    return call();
  }
}

/**
 * A successful call's answer once the wallet settled it: the body with the
 * key's budget left, or, if the wallet refused it (credits, caps, a revoked
 * key), that refusal, unbilled.
 */
export function answered<T extends { billing: Billing }>(outcome: CallOutcome, body: T, due: Due | null, price: Price | undefined): MeteredAnswer<T> {
  if (outcome.status !== 200) return failure(refusalOf(outcome, due?.credits ?? null, null), billingOf(outcome, price));
  body.billing = withBudget(body.billing, outcome);
  return { status: 200, body, billing: body.billing };
}

/**
 * A failure is never billed; the wallet logs it (and may know better: a
 * revoked key). After an asset's hold was opened (`held`), the wallet closes
 * the call instead, which releases the hold.
 */
export async function failed(
  s: Services,
  caller: Caller,
  facts: CallFacts,
  attempt: Attempt,
  error: TesseraError,
  replay: ReplayScope | undefined,
  price?: Price,
  held = false,
): Promise<MeteredAnswer<never>> {
  const purse = s.wallet(caller.companyId);
  const input = {
    call: facts,
    result: { ok: false as const, status: error.status, code: error.code },
    durationMs: s.now() - attempt.startedAt,
    due: null,
    ...(replay ? { replay } : {}),
  };
  try {
    const outcome = await settle(() => (held ? purse.closeCall({ ...input, requestId: attempt.requestId }) : purse.recordCall(input)));
    return failure(refusalOf(outcome, null, error), billingOf(outcome, price));
  } catch {
    // Nothing was charged; a hold left open lapses on its own.
    return failure(error, unbilled(attempt.requestId, price));
  }
}

/** The first attempt's answer again, unbilled, and logged as a call of its own (a revoked key gets none). */
export async function replayed<T extends { billing: Billing }>(
  s: Services,
  caller: Caller,
  facts: CallFacts,
  attempt: Attempt,
  answer: StoredAnswer,
  rows: (body: T) => number | null,
): Promise<MeteredAnswer<T>> {
  const body = await replayBody<T>(s.env.REPLAYS, answer);
  const outcome = await settle(() =>
    s.wallet(caller.companyId).recordCall({ call: facts, result: { ok: true, rows: rows(body) }, durationMs: s.now() - attempt.startedAt, due: null }),
  );
  if (outcome.status !== 200) return failure(refusalOf(outcome, null, null), billingOf(outcome));
  return { status: answer.status, body, billing: body.billing };
}

