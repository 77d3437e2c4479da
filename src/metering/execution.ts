/**
 * One execution of an asset: the price is held while it runs, and the
 * result is stored in the buyer's Purchases in the same wallet transaction
 * as the commit that pays for it; a failure releases the hold and stores
 * nothing. The REST route, the admin's "process" and the MCP tool all come
 * here; the first success puts the asset in the buyer's library.
 */
import { TesseraError } from "../errors";
import type { Credits } from "../money";
import { runContext, sourceOf } from "../products/context";
import { addToLibrary } from "../products/library";
import { runProduct, type ProductResult } from "../products/run";
import { currentRate } from "../rates";
import type { Services } from "../services";
import { MAX_RESULT_CHARS } from "../wallet/purchases";
import type { Due, StoredAnswer } from "../wallet/types";
import { billed, billingOf, errorOf, failure, refusalOf, unbilled, type Billing, type MeteredAnswer, type Price } from "./billing";
import { dueOf, factsOf, answered, failed, replayed, settle, termsFor, type Attempt, type Caller } from "./call";
import { replayScope, storeAnswer } from "./replay";

/** A hold outlives any asset's run; if the worker dies, the wallet's alarm releases it. */
const HOLD_TTL_MS = 60_000;

export interface ExecutionRequest {
  assetId: string;
  params: Record<string, unknown>;
  idempotencyKey?: string | undefined;
}

export interface ExecutionBody {
  data: { purchase_id: string; product_id: string; result: ProductResult };
  billing: Billing;
}

export async function assetExecution(s: Services, caller: Caller, request: ExecutionRequest, attempt: Attempt): Promise<MeteredAnswer<ExecutionBody>> {
  const purse = s.wallet(caller.companyId);
  const replay = request.idempotencyKey
    ? replayScope(caller.keyId, request.idempotencyKey, `${request.assetId}:${JSON.stringify(request.params)}`)
    : undefined;
  let facts = factsOf(caller, attempt, { id: request.assetId, type: null, sellerCompanyId: null });
  let price: Price | undefined;
  let due: Due | null = null;
  try {
    const terms = await termsFor(s, caller, request.assetId);
    facts = factsOf(caller, attempt, { id: terms.productId, type: terms.type, sellerCompanyId: terms.sellerCompanyId });
    if (terms.type !== "asset") throw new TesseraError("BAD_REQUEST", `${terms.productId} is an endpoint: fetch it instead.`);
    ({ due, price } = dueOf(terms, caller, await currentRate(s.db, s.now())));

    // The hold and the work start together; if the hold is refused, the result is thrown away unseen.
    const work = sourceOf(s, terms.dataSourceId).then((source) =>
      runProduct(runContext(s, attempt.requestId), terms, source, request.params),
    );
    work.catch(() => undefined);
    const opened = await purse.openCall({ call: facts, hold: due?.credits ?? (0 as Credits), ttlMs: HOLD_TTL_MS, ...(replay ? { replay } : {}) });
    if (opened.kind === "refused") return failure(refusalOf(opened.outcome, due?.credits ?? null, null), billingOf(opened.outcome, price));
    if (opened.kind === "replay") return await replayed<ExecutionBody>(s, caller, facts, attempt, opened.answer, () => null);

    let result: ProductResult;
    try {
      result = await work;
      if (JSON.stringify(result).length > MAX_RESULT_CHARS) throw new TesseraError("INTERNAL", "The result is too large to store.");
    } catch (error) {
      // The work failed after the hold: release it, store nothing, log the call.
      return await failed(s, caller, facts, attempt, errorOf(error, attempt.requestId), replay, price, true);
    }
    const purchaseId = `pur_${attempt.requestId.slice(4)}`;
    const body: ExecutionBody = {
      data: { purchase_id: purchaseId, product_id: terms.productId, result },
      billing: due ? billed(attempt.requestId, due.credits, price) : unbilled(attempt.requestId, price),
    };
    let answer: StoredAnswer | undefined;
    if (replay) answer = await storeAnswer(s.env.REPLAYS, caller.companyId, replay, 200, JSON.stringify(body));
    const outcome = await settle(() =>
      purse.closeCall({
        call: facts,
        requestId: attempt.requestId,
        result: { ok: true, rows: null },
        durationMs: s.now() - attempt.startedAt,
        due,
        purchase: { id: purchaseId, result: JSON.stringify(result), priceUsd: terms.priceUsd },
        ...(replay ? { replay: { ...replay, answer } } : {}),
      }),
    );
    // The first success puts the asset in the library, however it was run (the app, the API or an agent); warm calls read and write no D1.
    if (outcome.status === 200 && outcome.firstUse) await addToLibrary(s.db, caller.companyId, terms.productId);
    return answered(outcome, body, due, price);
  } catch (error) {
    return failed(s, caller, facts, attempt, errorOf(error, attempt.requestId), replay, price);
  }
}
