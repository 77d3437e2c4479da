/**
 * Metered calls, inside the wallet: one synchronous step checks the key is
 * live, charges (or holds) the price, and writes the call's request-log row,
 * all in the wallet's one transaction. The wallet has the last word on every
 * call from a known key, whatever the work gave:
 *
 *   key revoked > cut off by the seller > the work's own failure > idempotency conflict > the key's spending cap > not enough credits > billed
 *
 * Refusals are outcomes, written to the log like any other call, not errors:
 * the transaction that records them must commit.
 *
 * Endpoints run the work first and settle once (`record`): reading rows has
 * no side effect, so charging after success moves the same credits as
 * hold-then-commit, with one round trip. Assets hold the price while they
 * run (`open`), then commit with their stored result or release (`close`).
 */
import type { ErrorCode } from "../errors";
import type { Credits } from "../money";
import type { Book } from "./book";
import type { CallRow, Calls } from "./calls";
import type { Holds } from "./holds";
import type { Keys } from "./keys";
import type { Purchases } from "./purchases";
import type { Replays } from "./replays";
import type {
  CallFacts,
  CallOutcome,
  CloseCallInput,
  Due,
  OpenCallInput,
  OpenCallResult,
  RecordCallInput,
  ReplayScope,
  StoredAnswer,
  WorkResult,
} from "./types";
import { commitFingerprint, DEFAULT_HOLD_TTL_MS, MAX_HOLD_TTL_MS } from "./validate";

export interface MeterParts {
  book: Book;
  holds: Holds;
  calls: Calls;
  keys: Keys;
  replays: Replays;
  purchases: Purchases;
}

type Refusal = { status: number; code: string };

const REVOKED: Refusal = { status: 401, code: "KEY_REVOKED" satisfies ErrorCode };
const CUT_OFF: Refusal = { status: 403, code: "FORBIDDEN" satisfies ErrorCode };
const BROKE: Refusal = { status: 402, code: "INSUFFICIENT_CREDITS" satisfies ErrorCode };
const OVER_BUDGET: Refusal = { status: 403, code: "BUDGET_EXCEEDED" satisfies ErrorCode };
const TAKEN_OVER: Refusal = { status: 409, code: "CONFLICT" satisfies ErrorCode };

export class Meter {
  readonly #p: MeterParts;

  constructor(parts: MeterParts) {
    this.#p = parts;
  }

  /** An endpoint call, settled once its work is done. A retry of the same attempt returns the first outcome. */
  record(input: RecordCallInput, now: number): CallOutcome {
    const { call, result, due, replay } = input;
    const prior = this.#p.calls.find(call.requestId);
    if (prior) return this.#p.calls.outcome(prior, this.#p.keys.remaining(call.keyId, now));

    let refusal = this.#refusal(call, result);
    let operationId = call.requestId;
    if (replay && !refusal) {
      const owner = this.#owner(replay, call.requestId, now);
      if (owner === null) refusal = TAKEN_OVER;
      else operationId = owner;
    }
    let entrySeq: number | null = null;
    if (!refusal && due) {
      refusal = this.#affordable(call.keyId, due.credits, now);
      if (!refusal) entrySeq = this.#charge(call.keyId, operationId, due, now);
    }
    this.#settleReplay(replay, call.requestId, refusal, replay?.answer);
    return this.#log(call, operationId, result, refusal, due, entrySeq, input.durationMs, now);
  }

  /** Claims an `Idempotency-Key` before an endpoint's work runs, or gives back the finished call's answer. */
  beginReplay(replay: ReplayScope, requestId: string, now: number) {
    return this.#p.replays.begin(replay, requestId, now);
  }

  /** An asset call's start: the key is checked and the price held while it runs. */
  open(input: OpenCallInput, now: number): OpenCallResult {
    const { call } = input;
    const prior = this.#p.calls.find(call.requestId);
    if (prior) return { kind: "refused", outcome: this.#p.calls.outcome(prior) };
    const open = this.#p.holds.find(call.requestId);
    if (open) return { kind: "opened", operationId: call.requestId, available: this.#p.book.available as Credits };

    if (this.#p.keys.isRevoked(call.keyId)) return this.#refuse(call, REVOKED, now);
    if (this.#p.keys.isCutOff(call.productId)) return this.#refuse(call, CUT_OFF, now);
    let operationId = call.requestId;
    if (input.replay) {
      const start = this.#p.replays.begin(input.replay, call.requestId, now);
      if (start.kind === "replay") return start;
      operationId = start.operationId;
    }
    if (input.hold > 0) {
      const refusal = this.#affordable(call.keyId, input.hold, now);
      if (refusal) {
        if (input.replay) this.#p.replays.free(input.replay.scope, call.requestId);
        return this.#refuse(call, refusal, now);
      }
      const ttlMs = Math.min(input.ttlMs ?? DEFAULT_HOLD_TTL_MS, MAX_HOLD_TTL_MS);
      this.#p.holds.open(call.requestId, input.hold, now + ttlMs, JSON.stringify(["call", input.hold, ttlMs]), now, call.keyId);
      this.#p.keys.reserve(call.requestId, call.keyId, input.hold);
    }
    return { kind: "opened", operationId, available: this.#p.book.available as Credits };
  }

  /**
   * An asset call's end: on success the hold is committed (or, if it lapsed
   * meanwhile, the price charged if still available) together with the stored
   * result; on failure the hold is released and nothing is stored.
   */
  close(input: CloseCallInput & { call: CallFacts }, now: number): CallOutcome {
    const { call, result, due, replay } = input;
    const prior = this.#p.calls.find(call.requestId);
    if (prior) return this.#p.calls.outcome(prior);

    let refusal = result.ok ? null : { status: result.status, code: result.code };
    let operationId = call.requestId;
    if (replay && !refusal) {
      const owner = this.#owner(replay, call.requestId, now);
      if (owner === null) refusal = TAKEN_OVER;
      else operationId = owner;
    }
    const hold = this.#p.holds.find(call.requestId);
    const held = hold?.status === "held" ? hold : undefined;
    let entrySeq: number | null = null;
    if (!refusal && due) {
      if (held && due.credits <= held.credits) {
        entrySeq = this.#p.holds.commit(held, due.credits, due.sale, commitFingerprint(due.credits, due.sale), now, operationId).entry.seq;
        this.#p.keys.spend(call.keyId, due.credits, now);
      } else {
        if (held) this.#p.holds.release(held, "released", now);
        refusal = this.#affordable(call.keyId, due.credits, now);
        if (!refusal) entrySeq = this.#charge(call.keyId, operationId, due, now);
      }
    } else if (held) {
      this.#p.holds.release(held, "released", now);
    }
    if (!refusal && input.purchase) {
      this.#p.purchases.add(
        {
          id: input.purchase.id,
          productId: call.productId,
          operationId,
          result: input.purchase.result,
          credits: (entrySeq === null ? 0 : due!.credits) as Credits,
          priceUsd: input.purchase.priceUsd,
        },
        now,
      );
    }
    this.#settleReplay(replay, call.requestId, refusal, replay?.answer);
    return this.#log(call, operationId, result, refusal, due, entrySeq, input.durationMs, now);
  }

  #refusal(call: CallFacts, result: WorkResult): Refusal | null {
    if (this.#p.keys.isRevoked(call.keyId)) return REVOKED;
    if (this.#p.keys.isCutOff(call.productId)) return CUT_OFF;
    return result.ok ? null : { status: result.status, code: result.code };
  }

  /** The operation id `requestId` settles under, or null if another attempt took the key over. */
  #owner(replay: ReplayScope, requestId: string, now: number): string | null {
    try {
      return this.#p.replays.owned(replay, requestId, now);
    } catch {
      return null;
    }
  }

  /** Whether `keyId` may spend `credits` now: within its caps, and within what the wallet holds. */
  #affordable(keyId: string, credits: number, now: number): Refusal | null {
    const room = this.#p.keys.room(keyId, now);
    if (room !== null && credits > room) return OVER_BUDGET;
    return credits > this.#p.book.available ? BROKE : null;
  }

  #charge(keyId: string, operationId: string, due: Due, now: number): number {
    this.#p.book.take(due.credits);
    this.#p.keys.spend(keyId, due.credits, now);
    return this.#p.book.append(
      { kind: "charge", operationId, amount: -due.credits, usdPerCredit: due.sale.usdPerCredit, sale: due.sale },
      now,
    ).seq;
  }

  #settleReplay(replay: ReplayScope | undefined, requestId: string, refusal: Refusal | null, answer: StoredAnswer | undefined): void {
    if (!replay) return;
    if (refusal) this.#p.replays.free(replay.scope, requestId);
    else if (answer) this.#p.replays.finish(replay.scope, answer);
  }

  #refuse(call: CallFacts, refusal: Refusal, now: number): OpenCallResult {
    const outcome = this.#log(call, call.requestId, { ok: false, ...refusal }, refusal, null, null, Math.max(0, now - call.startedAt), now);
    return { kind: "refused", outcome };
  }

  #log(
    call: CallFacts,
    operationId: string,
    result: WorkResult,
    refusal: Refusal | null,
    due: Due | null,
    entrySeq: number | null,
    durationMs: number,
    now: number,
  ): CallOutcome {
    const billed = entrySeq !== null;
    const row: Omit<CallRow, "seq"> = {
      request_id: call.requestId,
      operation_id: operationId,
      key_id: call.keyId,
      product_id: call.productId,
      product_type: call.productType,
      seller_company_id: call.sellerCompanyId,
      channel: call.channel,
      method: call.method,
      status: refusal?.status ?? 200,
      error_code: refusal?.code ?? null,
      rows: refusal ? null : result.ok ? result.rows : null,
      billed: billed ? 1 : 0,
      credits: billed ? due!.credits : 0,
      entry_seq: entrySeq,
      duration_ms: durationMs,
      created_at: call.startedAt,
      available_after: this.#p.book.available,
    };
    const firstUse = row.status === 200 && !this.#p.calls.hasUsed(call.productId);
    return { ...this.#p.calls.outcome(this.#p.calls.append(row), this.#p.keys.remaining(call.keyId, now)), firstUse };
  }
}
