/**
 * One page of an endpoint, billed once when it succeeds (zero rows
 * included), never when it fails. The REST route, the admin's fetch and the
 * MCP tool all come here.
 *
 * The path of a warm call: the product's object (terms), the data (the
 * dataset's object or the seller's origin), the buyer's wallet (key check,
 * charge and log row in one transaction). With an Idempotency-Key the
 * wallet is asked first too, to claim the key or replay its answer.
 */
import { TesseraError } from "../errors";
import { runContext, sourceOf } from "../products/context";
import { runProduct } from "../products/run";
import { currentRate } from "../rates";
import type { Services } from "../services";
import type { Due, StoredAnswer } from "../wallet/types";
import { billed, errorOf, unbilled, type Billing, type MeteredAnswer, type Price } from "./billing";
import { dueOf, factsOf, answered, failed, replayed, settle, termsFor, type Attempt, type Caller } from "./call";
import { replayScope, storeAnswer } from "./replay";

export interface PageRequest {
  endpointId: string;
  params: Record<string, string | string[]>;
  pageSize?: string | number | undefined;
  cursor?: string | undefined;
  idempotencyKey?: string | undefined;
}

export interface PageBody {
  data: Record<string, unknown>[];
  pagination: { page_size: number; next_cursor: string | null };
  billing: Billing;
}

/** A buyer's call of one page. `caller.endpointId` is the endpoint its key is for. */
export async function endpointPage(
  s: Services,
  caller: Caller & { endpointId: string },
  request: PageRequest,
  attempt: Attempt,
): Promise<MeteredAnswer<PageBody>> {
  const purse = s.wallet(caller.companyId);
  const replay = request.idempotencyKey ? replayScope(caller.keyId, request.idempotencyKey, requestHash(request)) : undefined;
  let facts = factsOf(caller, attempt, { id: request.endpointId, type: null, sellerCompanyId: null });
  let price: Price | undefined;
  let due: Due | null = null;
  try {
    const [terms, start] = await Promise.all([
      termsFor(s, caller, request.endpointId),
      replay ? purse.beginReplay({ ...replay, requestId: attempt.requestId }) : undefined,
    ]);
    facts = factsOf(caller, attempt, { id: terms.productId, type: terms.type, sellerCompanyId: terms.sellerCompanyId });
    if (terms.type !== "endpoint") throw new TesseraError("NOT_FOUND", `No endpoint ${request.endpointId}: it is an asset.`);
    if (caller.endpointId !== terms.productId) throw new TesseraError("FORBIDDEN", "This key belongs to another endpoint.");
    ({ due, price } = dueOf(terms, caller, await currentRate(s.db, s.now())));
    if (start?.kind === "replay") return await replayed<PageBody>(s, caller, facts, attempt, start.answer, (b) => b.data.length);

    const source = await sourceOf(s, terms.dataSourceId);
    const result = await runProduct(runContext(s, attempt.requestId), terms, source, request.params, {
      pageSize: request.pageSize,
      cursor: request.cursor,
    });
    if (result.type !== "rows") throw new Error(`endpoint ${terms.productId} did not return rows`);
    const body: PageBody = {
      data: result.rows,
      pagination: { page_size: result.rows.length, next_cursor: result.nextCursor },
      billing: due ? billed(attempt.requestId, due.credits, price) : unbilled(attempt.requestId, price),
    };
    let answer: StoredAnswer | undefined;
    if (replay) answer = await storeAnswer(s.env.REPLAYS, caller.companyId, replay, 200, JSON.stringify(body));
    const outcome = await settle(() =>
      purse.recordCall({
        call: facts,
        result: { ok: true, rows: body.data.length },
        durationMs: s.now() - attempt.startedAt,
        due,
        ...(replay ? { replay: { ...replay, answer } } : {}),
      }),
    );
    return answered(outcome, body, due, price);
  } catch (error) {
    return failed(s, caller, facts, attempt, errorOf(error, attempt.requestId), replay, price);
  }
}

/** What the page asked for: the same Idempotency-Key with other parameters is a CONFLICT. */
function requestHash(request: PageRequest): string {
  const query = new URLSearchParams({ page_size: String(request.pageSize ?? ""), cursor: request.cursor ?? "" });
  for (const [key, value] of Object.entries(request.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
  }
  return `${request.endpointId}?${query}`;
}
