import { DurableObject } from "cloudflare:workers";
import { refusal, TesseraError, type Refused } from "../errors";
import { formatDecimal, MICRO, type Credits } from "../money";
import { Book } from "./book";
import { callsDdl, Calls } from "./calls";
import { Crossings, watchNames, type Crossing, type WatchName } from "./crossings";
import { Feed, type FeedResult } from "./feed";
import { Holds } from "./holds";
import { Keys, keysDdl, type Caps, type KeyUsage } from "./keys";
import { Meter } from "./metering";
import { Purchases, purchasesDdl } from "./purchases";
import { Replays, replaysDdl } from "./replays";
import { Retention, retentionPolicy } from "./retention";
import { LEDGER_COLUMNS, holdView, toEntry, type LedgerRow } from "./rows";
import { createSchema, NEVER, readMeta, writeMeta } from "./schema";
import type {
  AdjustInput,
  AuditView,
  BalanceView,
  CallOutcome,
  ChargeInput,
  CloseCallInput,
  CommitInput,
  CommitResult,
  DepositInput,
  HistoryQuery,
  HoldInput,
  HoldResult,
  HoldView,
  LedgerEntry,
  OpenCallInput,
  OpenCallResult,
  PurchaseView,
  RecordCallInput,
  ReplayScope,
  ReplayStart,
} from "./types";
import {
  checkAdjust,
  checkCharge,
  checkCredits,
  checkCommit,
  checkDeposit,
  checkHistory,
  checkHold,
  checkId,
  checkThreshold,
  commitFingerprint,
} from "./validate";
import { checkAnswer, checkCallFacts, checkCaps, checkDue, checkDuration, checkReplay, checkWorkResult } from "./validate-call";

const DEFAULT_LOW_BALANCE = (20 * MICRO) as Credits;
/** An alarm this soon after a write guarantees the feed drains even if the object is evicted mid-send. */
const FEED_SAFETY_MS = 30_000;

type OperationRow = { fingerprint: string; entry_seq: number };

/**
 * A company's wallet: the single writer of its credits. One object per
 * company, addressed by `env.WALLET.getByName(companyId)`.
 *
 * Invariant, at every instant: `available = balance - held >= 0`, where
 * balance = deposits - charges - adjustments - expiries = the ledger's sum.
 *
 * Every operation does its read-check-write in one synchronous section
 * inside `transactionSync` (an operation is never `async`): no other call can
 * interleave, a thrown error rolls everything back, and the output gate holds
 * the response until the write is durable. The metered operations wait a turn
 * first so that calls arriving together commit together (`#grouped`).
 *
 * Idempotency: every call carries a caller-chosen id. There are two id
 * spaces: deposits and adjustments share one; holds and charges share the
 * other (a charge is a hold committed at once). Commit and release name the
 * hold. A repeat with the same parameters returns the first outcome and moves
 * nothing; the same id with other parameters is CONFLICT.
 *
 * Refusals a caller expects (INSUFFICIENT_CREDITS, CONFLICT, ...) come back
 * as values (`Refused`), which the client (client.ts) turns into thrown
 * `TesseraError`s: they are answers, not failures of the object.
 */
export class Wallet extends DurableObject<Env> {
  #book!: Book;
  #holds!: Holds;
  #companyId!: string;
  #feed!: Feed;
  #calls!: Calls;
  #keys!: Keys;
  #replays!: Replays;
  #purchases!: Purchases;
  #meter!: Meter;
  #retention!: Retention;
  /** Threshold watches for auto-refill and low-balance alerts (crossings.ts). */
  #crossings!: Crossings;
  #threshold: Credits = DEFAULT_LOW_BALANCE;
  /** Operations waiting for the next group commit (`#grouped`). */
  #group: { run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  /** The alarm as scheduled, so the hot path need not ask storage. */
  #alarmAt: number | null = null;
  /** Added to the real clock; set only by tests (ALLOW_TEST_CLOCK), so expiry can be tested without sleeping. */
  #clockOffset = 0;
  /** Operations run, SQLite rows they read and wrote (indexes included) since the object started: the bench's figures. */
  readonly #writes = tally();
  /** The same for the feed's sends (its reads of what to send, its cursors), apart: how often it sends depends on timing. */
  readonly #feedWrites = tally();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      const sql = counted(ctx.storage.sql, this.#writes);
      createSchema(sql, (fn) => ctx.storage.transactionSync(fn));
      for (const statement of [...callsDdl, ...keysDdl, ...replaysDdl, ...purchasesDdl]) sql.exec(statement);
      this.#companyId = this.#resolveCompanyId();
      this.#clockOffset = env.ALLOW_TEST_CLOCK === "1" ? (readMeta<number>(sql, "clock_offset") ?? 0) : 0;
      this.#book = new Book(sql, this.#companyId);
      this.#holds = new Holds(sql, this.#book, (operationId) => this.#keys.unreserve(operationId));
      this.#calls = new Calls(sql, this.#companyId);
      this.#keys = new Keys(sql, this.#now());
      this.#replays = new Replays(sql);
      this.#purchases = new Purchases(sql);
      this.#crossings = new Crossings(sql, this.#companyId);
      this.#meter = new Meter({
        book: this.#book,
        holds: this.#holds,
        calls: this.#calls,
        keys: this.#keys,
        replays: this.#replays,
        purchases: this.#purchases,
      });
      this.#feed = new Feed(
        counted(ctx.storage.sql, this.#feedWrites),
        this.#companyId,
        { ledger: env.LEDGER_FEED, crossings: env.CROSSINGS },
        () => ({ rows: this.#crossings.pending(), remove: (ids) => this.#crossings.remove(ids) }),
        () => this.#ensureAlarm(this.#now()),
        () => this.#now(),
      );
      this.#retention = new Retention(sql, (fn) => this.ctx.storage.transactionSync(fn), this.#companyId, env.ARCHIVE, retentionPolicy(env));
      this.#threshold = readMeta<Credits>(sql, "low_balance_threshold") ?? DEFAULT_LOW_BALANCE;
      this.#alarmAt = await ctx.storage.getAlarm();
      this.#ensureAlarm(this.#now());
    });
  }

  /**
   * Adds credits as a new lot (top-ups never expire; others may carry
   * `expiresAt`). Balance and available grow by exactly `credits`; one ledger
   * entry; a repeat of the same id moves nothing.
   */
  deposit(input: DepositInput): LedgerEntry | Refused {
    return this.#run((now) => {
      const { value: d, fingerprint } = checkDeposit(input);
      const prior = this.#operation(d.id);
      if (prior) return this.#repeatOperation(d.id, prior, fingerprint);
      if (d.expiresAt !== null && d.expiresAt <= now) {
        throw new TesseraError("BAD_REQUEST", "expiresAt must be in the future.");
      }
      if (this.#book.balance + d.credits > Number.MAX_SAFE_INTEGER) {
        throw new TesseraError("INVALID_AMOUNT", "The deposit would exceed the largest balance a wallet can hold.");
      }
      const entry = this.#book.append(
        { kind: d.kind, operationId: d.id, amount: d.credits, usdPerCredit: d.usdPerCredit, sale: d.sale, reason: d.reason },
        now,
      );
      this.#book.addLot(entry.seq, d.id, d.credits, d.expiresAt, d.usdPerCredit);
      return this.#recordOperation(d.id, fingerprint, entry);
    });
  }

  /**
   * Removes credits for an admin reason (an "adjustment" entry). Never
   * overdraws: more than available is INSUFFICIENT_CREDITS and nothing moves.
   */
  adjust(input: AdjustInput): LedgerEntry | Refused {
    return this.#run((now) => {
      const { value: a, fingerprint } = checkAdjust(input);
      const prior = this.#operation(a.id);
      if (prior) return this.#repeatOperation(a.id, prior, fingerprint);
      this.#requireAvailable(a.credits);
      this.#book.take(a.credits);
      const entry = this.#book.append(
        { kind: "adjustment", operationId: a.id, amount: -a.credits, usdPerCredit: a.usdPerCredit, reason: a.reason },
        now,
      );
      return this.#recordOperation(a.id, fingerprint, entry);
    });
  }

  /**
   * Reserves credits until commit, release or expiry (default five minutes).
   * Held credits stay in the balance but leave `available`, which never goes
   * below zero: a hold beyond it is INSUFFICIENT_CREDITS and nothing moves.
   */
  hold(input: HoldInput): HoldResult | Refused {
    return this.#run((now) => {
      const { value: h, fingerprint } = checkHold(input);
      const prior = this.#holds.find(h.id);
      if (prior) return this.#holds.repeat(prior, fingerprint) as HoldResult;
      this.#requireAvailable(h.credits);
      return this.#holds.open(h.id, h.credits, now + h.ttlMs, fingerprint, now);
    });
  }

  /**
   * Settles an open hold: spends `credits` (default all, never more than
   * held) with one "charge" entry carrying the sale, and releases the rest.
   * A hold resolves once: after commit, release or expiry this is
   * HOLD_RESOLVED, unless it repeats the commit exactly.
   */
  commit(input: CommitInput): CommitResult | Refused {
    return this.#run((now) => {
      const c = checkCommit(input);
      const row = this.#requireHold(c.id);
      const credits = c.credits ?? (row.credits as Credits);
      const fingerprint = commitFingerprint(credits, c.sale);
      if (row.status !== "held") {
        const first = this.#holds.repeatCommit(row, fingerprint);
        if (first) return first;
        throw new TesseraError("HOLD_RESOLVED", `Hold ${row.id} is already ${row.status}.`);
      }
      if (credits > row.credits) {
        throw new TesseraError("INVALID_AMOUNT", `Cannot commit ${credits} of a hold of ${row.credits}.`);
      }
      return this.#holds.commit(row, credits, c.sale, fingerprint, now);
    });
  }

  /**
   * Gives an open hold's credits back to available. Resolves the hold once:
   * a release after commit or expiry is HOLD_RESOLVED; a repeated release
   * returns the first outcome.
   */
  release(input: { id: string }): HoldResult | Refused {
    return this.#run((now) => {
      const row = this.#requireHold(checkId(input?.id));
      if (row.status !== "held") {
        const first = this.#holds.repeatRelease(row);
        if (first) return first;
        throw new TesseraError("HOLD_RESOLVED", `Hold ${row.id} is already ${row.status}.`);
      }
      return this.#holds.release(row, "released", now);
    });
  }

  /**
   * Hold and commit in one step: spends `credits` now with one "charge"
   * entry, or fails with INSUFFICIENT_CREDITS having moved nothing.
   */
  charge(input: ChargeInput): Promise<CommitResult | Refused> {
    return this.#grouped((now) => {
      const { value: c, fingerprint } = checkCharge(input);
      const prior = this.#holds.find(c.id);
      if (prior) return this.#holds.repeat(prior, fingerprint) as CommitResult;
      this.#requireAvailable(c.credits);
      return this.#holds.charge(c.id, c.credits, c.sale, fingerprint, now);
    });
  }

  // --- metered calls (metering.ts) -----------------------------------------------------------

  /**
   * Settles an endpoint call after its work: checks the key is live, charges
   * `due` if the work succeeded and available covers it (never overdrawing),
   * and writes the call's request-log row, all in one transaction. Refusals
   * are outcomes, logged like any call. A retry of the same request id
   * returns the first outcome and moves nothing.
   */
  recordCall(input: RecordCallInput): Promise<CallOutcome | Refused> {
    return this.#grouped((now) =>
      this.#meter.record(
        {
          call: checkCallFacts(input?.call),
          result: checkWorkResult(input?.result),
          durationMs: checkDuration(input?.durationMs),
          due: checkDue(input?.due),
          replay: this.#replayInput(input?.replay),
        },
        now,
      ),
    );
  }

  /**
   * Claims a buyer's Idempotency-Key for one attempt, or returns the answer
   * of the attempt that finished under it (replays.ts). CONFLICT while
   * another attempt runs, or when the key was used for another request.
   */
  beginReplay(input: ReplayScope & { requestId: string }): Promise<ReplayStart | Refused> {
    return this.#grouped((now) => this.#meter.beginReplay(checkReplay(input)!, checkId(input?.requestId, "requestId"), now));
  }

  /** Starts an asset call: checks the key and holds the price while the work runs. A refusal is logged and returned. */
  openCall(input: OpenCallInput): Promise<OpenCallResult | Refused> {
    return this.#grouped((now) => {
      const hold = input?.hold === 0 ? (0 as Credits) : checkCredits(input?.hold, "hold");
      return this.#meter.open({ call: checkCallFacts(input?.call), hold, ttlMs: input?.ttlMs, replay: checkReplay(input?.replay) }, now);
    });
  }

  /**
   * Ends an asset call: commits the hold with the stored result (the
   * Purchase) on success, releases it on failure; logs the call. A paid
   * result is stored in the same transaction as its charge.
   */
  closeCall(input: CloseCallInput & { call: OpenCallInput["call"] }): Promise<CallOutcome | Refused> {
    return this.#grouped((now) =>
      this.#meter.close(
        {
          call: checkCallFacts(input?.call),
          requestId: checkId(input?.requestId, "requestId"),
          result: checkWorkResult(input?.result),
          durationMs: checkDuration(input?.durationMs),
          due: checkDue(input?.due),
          ...(input?.purchase ? { purchase: input.purchase } : {}),
          replay: this.#replayInput(input?.replay),
        },
        now,
      ),
    );
  }

  /** Revokes keys of the company for good: every later call with one of them is KEY_REVOKED. */
  revokeKeys(keyIds: string[]): { revoked: string[] } | Refused {
    return this.#run((now) => {
      if (!Array.isArray(keyIds) || keyIds.length > 1_000) throw new TesseraError("BAD_REQUEST", "keyIds must be a list of at most 1,000 ids.");
      for (const id of keyIds) this.#keys.revoke(checkId(id, "keyId"), now);
      return { revoked: keyIds };
    });
  }

  /**
   * The seller of `productId` cut the company off: its keys for the product
   * are revoked and every later call of the company on it is FORBIDDEN, made
   * with whatever key (an MCP agent pages endpoints under its company key).
   */
  cutOff(input: { productId: string; keyIds: string[] }): { productId: string } | Refused {
    return this.#run((now) => {
      const productId = checkId(input?.productId, "productId");
      if (!Array.isArray(input.keyIds) || input.keyIds.length > 1_000) throw new TesseraError("BAD_REQUEST", "keyIds must be a list of at most 1,000 ids.");
      for (const id of input.keyIds) this.#keys.revoke(checkId(id, "keyId"), now);
      this.#keys.cutOff(productId, now);
      return { productId };
    });
  }

  /**
   * Sets the spending caps of one of the company's keys (micro-credits per
   * UTC day, per month, in total; null for none; all null lifts them). What
   * the key spent so far counts. From the next call on, a charge or hold past
   * a cap is BUDGET_EXCEEDED and moves nothing.
   */
  setCaps(keyId: string, caps: Caps): KeyUsage | Refused {
    return this.#run((now) => {
      const id = checkId(keyId, "keyId");
      this.#keys.setCaps(id, checkCaps(caps), now);
      return this.#keys.usage([id], now)[0]!;
    });
  }

  /** What keys spent (today, this month, ever), their caps and the room left. Reads only. */
  keyUsage(keyIds: string[]): KeyUsage[] | Refused {
    return this.#run((now) => {
      if (!Array.isArray(keyIds) || keyIds.length > 500) throw new TesseraError("BAD_REQUEST", "keyIds must be a list of at most 500 ids.");
      return this.#keys.usage(keyIds.map((id) => checkId(id, "keyId")), now);
    });
  }

  /** Whether the company ever got a 200 from `productId` (ratings ask). Reads only. */
  hasUsed(productId: string): boolean | Refused {
    return this.#run(() => this.#calls.hasUsed(checkId(productId, "productId")));
  }

  /** The company's stored results, newest first. Reads only. */
  purchases(query: { limit?: number; beforeSeq?: number; offset?: number } = {}): (PurchaseView & { seq: number })[] | Refused {
    return this.#run(() =>
      this.#purchases.list(Math.min(Math.max(query.limit ?? 20, 1), 101), query.beforeSeq ?? null, Math.min(Math.max(query.offset ?? 0, 0), 10_000)),
    );
  }

  purchase(id: string): PurchaseView | null | Refused {
    return this.#run(() => this.#purchases.get(checkId(id)));
  }

  // --- reads -----------------------------------------------------------------------------

  /** The balance now, after any expiry that is due. Reads only; `available` is never negative. */
  balance(): BalanceView | Refused {
    return this.#run(() => this.#balanceView());
  }

  /** Warns when available credits fall below `credits` (0 turns the warning off). Moves nothing. */
  setLowBalanceThreshold(credits: Credits): BalanceView | Refused {
    return this.#run(() => {
      this.#threshold = checkThreshold(credits);
      writeMeta(this.ctx.storage.sql, "low_balance_threshold", this.#threshold);
      // An armed low-balance alert follows the warning threshold.
      if (this.#crossings.get("low_balance") !== null) this.#crossings.set("low_balance", this.#threshold);
      return this.#balanceView();
    });
  }

  /** A hold (or charge) by its id, or null. Reads only. */
  getHold(id: string): HoldView | null | Refused {
    return this.#run(() => {
      const row = this.#holds.find(checkId(id));
      return row ? holdView(row) : null;
    });
  }

  /**
   * One billed charge, by its ledger entry id (`<company>:<seq>`, as in the
   * history) or by the request id of the call it billed; null when this
   * wallet has no such charge. Disputes read it when D1's copy of a charge
   * made a moment ago has not arrived yet. Reads only.
   */
  charged(target: { transactionId?: string; requestId?: string }): LedgerEntry | null | Refused {
    return this.#run(() => {
      const seq =
        target?.transactionId !== undefined
          ? seqOf(checkId(target.transactionId, "transactionId"), this.#companyId)
          : (this.#calls.find(checkId(target?.requestId, "requestId"))?.entry_seq ?? null);
      const entry = seq === null ? undefined : this.#book.find(seq);
      return entry?.kind === "charge" ? entry : null;
    });
  }

  /**
   * Ledger entries, newest first, filtered by kind and time ([from, to)).
   * Page backwards with `beforeSeq` = the last entry's seq. Reads only.
   */
  history(query: HistoryQuery = {}): LedgerEntry[] | Refused {
    return this.#run(() => {
      const q = checkHistory(query);
      const where: string[] = [];
      const args: (string | number)[] = [];
      const filter = (clause: string, ...values: (string | number)[]) => {
        where.push(clause);
        args.push(...values);
      };
      if (q.beforeSeq !== null) filter("seq < ?", q.beforeSeq);
      if (q.kinds) filter(`kind IN (${q.kinds.map(() => "?").join(", ")})`, ...q.kinds);
      if (q.from !== null) filter("created_at >= ?", q.from);
      if (q.to !== null) filter("created_at < ?", q.to);
      return this.ctx.storage.sql
        .exec<LedgerRow>(
          `SELECT ${LEDGER_COLUMNS} FROM ledger ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`,
          ...args,
          q.limit,
        )
        .toArray()
        .map((row) => toEntry(this.#companyId, row));
    });
  }

  /** Ledger entries, call rows and crossings not yet sent to the queues. */
  outboxSize(): number {
    return this.#feed.pending(this.#book.seq, this.#calls.seq) + this.#crossings.waiting;
  }

  /**
   * Sends everything not yet sent to the queues now. Never loses or
   * duplicates a row downstream: consumers insert by id, and a cursor moves
   * only after the queue accepted the rows. On failure they stay and the
   * alarm retries.
   */
  async flush(): Promise<FeedResult & { pending: number }> {
    const result = await this.#feed.flush();
    return { ...result, pending: this.outboxSize() };
  }

  /** Operations run and SQLite rows read and written (indexes included) since the object started; the feed's sends apart. */
  storageStats(): StorageStats {
    this.#tally();
    const { operations, rowsRead, rowsWritten } = this.#writes;
    return { operations, rowsRead, rowsWritten, feed: { rowsRead: this.#feedWrites.rowsRead, rowsWritten: this.#feedWrites.rowsWritten } };
  }

  /** Adds what the statements run so far read and wrote (a cursor's counts are final once it was read). */
  #tally(): void {
    for (const counts of [this.#writes, this.#feedWrites]) {
      for (const cursor of counts.cursors) {
        counts.rowsRead += cursor.rowsRead;
        counts.rowsWritten += cursor.rowsWritten;
      }
      counts.cursors.length = 0;
    }
  }

  /** The ledger entries of `month` (YYYY-MM) that retention archived to R2, oldest first. */
  async archivedLedger(month: string): Promise<LedgerEntry[] | Refused> {
    if (!/^\d{4}-\d{2}$/.test(month)) return refusal(new TesseraError("BAD_REQUEST", "month is YYYY-MM."));
    return this.#retention.ledgerMonth(month);
  }

  /**
   * Recomputes the books from storage (the archived part counted by what
   * retention kept of it) and compares them with the totals in memory. Reads only.
   */
  audit(): AuditView {
    const sql = this.ctx.storage.sql;
    const sum = (query: string) => sql.exec<{ total: number }>(query).one().total;
    const archived = this.#retention.archived();
    const ledgerSum = (sum("SELECT coalesce(sum(amount), 0) AS total FROM ledger") + archived.sum) as Credits;
    const heldInHolds = sum("SELECT coalesce(sum(credits), 0) AS total FROM holds WHERE status = 'held'") as Credits;
    const lotsRemaining = sum("SELECT coalesce(sum(remaining), 0) AS total FROM lots") as Credits;
    const entries = sum("SELECT count(*) AS total FROM ledger") + archived.entries;
    const calls = sum("SELECT count(*) AS total FROM calls");
    const { balance, held } = this.#book;
    return {
      balance: balance as Credits,
      held: held as Credits,
      ledgerSum,
      heldInHolds,
      lotsRemaining,
      entries,
      calls,
      ok: ledgerSum === balance && heldInHolds === held && lotsRemaining === balance - held && balance - held >= 0 && entries === this.#book.seq,
    };
  }

  /** Lapses due holds, expires due lots, prunes old replays, sends the feed, then re-arms for the next of those. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const now = this.#now();
    const availableBefore = this.#book.available;
    this.#settle(now);
    this.#crossings.detect(availableBefore, this.#book.available, now);
    const bodies = this.#replays.prune(now, 500);
    if (bodies.length) await this.env.REPLAYS.delete(bodies);
    if (this.outboxSize() > 0) await this.#feed.flush();
    if (this.#retention.dueAt !== null && this.#retention.dueAt <= now) {
      await this.#retention.run(now, { ledger: this.#feed.ledgerSent, calls: this.#feed.callsSent }, this.#book.seq);
    }
    this.#tally();
    this.#ensureAlarm(this.#now());
  }

  /**
   * Arms a threshold watch, or disarms it with null: when an operation takes
   * available credits from at or above the threshold to below it, the
   * crossing is recorded in that operation's transaction and sent to the
   * CROSSINGS queue, once per crossing (crossings.ts). `low_balance`
   * follows the low-balance warning threshold; a value given for it becomes
   * that threshold. Moves no credits.
   */
  watch(name: WatchName, threshold: Credits | null): BalanceView | Refused {
    return this.#run(() => {
      if (!watchNames.includes(name)) throw new TesseraError("BAD_REQUEST", `No watch ${String(name)}.`);
      const value = threshold === null ? null : checkThreshold(threshold);
      if (name === "low_balance" && value !== null) {
        this.#threshold = value;
        writeMeta(this.ctx.storage.sql, "low_balance_threshold", value);
      }
      this.#crossings.set(name, value);
      return this.#balanceView();
    });
  }

  /** Armed watches and crossings not yet sent. Reads only. */
  crossings(): { watches: Record<WatchName, Credits | null>; pending: Crossing[] } | Refused {
    return this.#run(() => ({
      watches: { low_balance: this.#crossings.get("low_balance"), auto_refill: this.#crossings.get("auto_refill") },
      pending: this.#crossings.pending(),
    }));
  }

  /** Tests only (ALLOW_TEST_CLOCK=1): moves this wallet's clock forward, so expiry needs no sleeping. */
  advanceClock(ms: number): number | Refused {
    return this.#run(() => {
      if (this.env.ALLOW_TEST_CLOCK !== "1") throw new TesseraError("FORBIDDEN", "The wallet's clock is real here.");
      if (!Number.isSafeInteger(ms) || ms < 0) throw new TesseraError("BAD_REQUEST", "ms must be a whole number of milliseconds.");
      if (ms > 0) {
        this.#clockOffset += ms;
        writeMeta(this.ctx.storage.sql, "clock_offset", this.#clockOffset);
      }
      return this.#now();
    });
  }

  // --- the one path every operation takes -------------------------------------------------

  /**
   * Settles what is due, runs `op` in one transaction, then starts the feed
   * and re-arms. A `TesseraError` the caller should hear about comes back as
   * a `Refused` value; anything else (a bug) is thrown.
   */
  #run<T>(op: (now: number) => T): T | Refused {
    const now = this.#now();
    this.#writes.operations += 1;
    const ledgerBefore = this.#book.seq;
    const callsBefore = this.#calls.seq;
    const waitingBefore = this.#crossings.waiting;
    const availableBefore = this.#book.available;
    try {
      this.#settle(now);
      return this.#atomically(() => {
        const result = op(now);
        this.#crossings.detect(availableBefore, this.#book.available, now);
        return result;
      });
    } catch (error) {
      if (error instanceof TesseraError && error.code !== "INTERNAL") return refusal(error);
      throw error;
    } finally {
      this.#tally();
      // Also after a refused operation: settling may have written expiry entries.
      const wrote = this.#book.seq !== ledgerBefore || this.#calls.seq !== callsBefore || this.#crossings.waiting !== waitingBefore;
      if (wrote) {
        this.#feed.kick(now);
        this.#retention.arm(now);
      }
      this.#ensureAlarm(now);
    }
  }

  /**
   * Group commit: an operation waits one turn of the event loop, while the
   * calls that arrive meanwhile join it, then all run one after another in
   * that turn, each exactly as `#run` runs it alone (its own checks, its own
   * rollback). Their writes then become durable in one commit, and each
   * answer leaves only once they are (the output gate), so N calls cost one
   * storage commit instead of N. Nothing interleaves inside an operation.
   */
  #grouped<T>(op: (now: number) => T): Promise<T | Refused> {
    return new Promise((resolve, reject) => {
      this.#group.push({ run: () => this.#run(op), resolve: resolve as (value: unknown) => void, reject });
      if (this.#group.length === 1) setTimeout(() => this.#runGroup(), 0);
    });
  }

  #runGroup(): void {
    const group = this.#group;
    this.#group = [];
    for (const member of group) {
      try {
        member.resolve(member.run());
      } catch (error) {
        member.reject(error);
      }
    }
  }

  /** `transactionSync`, with the in-memory totals rolled back along with storage. */
  #atomically<T>(fn: () => T): T {
    const saved = this.#book.save();
    const calls = this.#calls.save();
    this.#keys.save();
    try {
      return this.ctx.storage.transactionSync(fn);
    } catch (error) {
      this.#book.restore(saved);
      this.#calls.restore(calls);
      this.#keys.restore();
      throw error;
    }
  }

  #now(): number {
    return Date.now() + this.#clockOffset;
  }

  #replayInput(input: unknown) {
    const scope = checkReplay(input);
    if (!scope) return undefined;
    const answer = checkAnswer((input as { answer?: unknown }).answer);
    return answer ? { ...scope, answer } : scope;
  }

  /** Lazy expiry: lapses holds and expires lots whose time has come, before anything reads the balance. */
  #settle(now: number): void {
    if (now < this.#book.nextDueAt) return;
    this.#atomically(() => {
      // Holds first: what they give back to an already-expired lot expires with it.
      this.#holds.expireDue(now);
      this.#book.expireLots(now);
      this.#book.recomputeDue();
    });
  }

  #requireAvailable(credits: number): void {
    if (credits > this.#book.available) {
      throw new TesseraError("INSUFFICIENT_CREDITS", `Needs ${formatDecimal(credits)} credits; ${formatDecimal(this.#book.available)} available.`);
    }
  }

  #requireHold(id: string) {
    const row = this.#holds.find(id);
    if (!row) throw new TesseraError("NOT_FOUND", `No hold ${id}.`);
    return row;
  }

  #balanceView(): BalanceView {
    const available = this.#book.available as Credits;
    return {
      balance: this.#book.balance as Credits,
      held: this.#book.held as Credits,
      available,
      lowBalanceThreshold: this.#threshold,
      lowBalanceWarning: available < this.#threshold,
    };
  }

  // --- idempotency of deposits and adjustments ------------------------------------------

  #operation(id: string): OperationRow | undefined {
    return this.ctx.storage.sql
      .exec<OperationRow>("SELECT fingerprint, entry_seq FROM operations WHERE id = ?", id)
      .toArray()[0];
  }

  #repeatOperation(id: string, prior: OperationRow, fingerprint: string): LedgerEntry {
    if (prior.fingerprint !== fingerprint) {
      throw new TesseraError("CONFLICT", `Id ${id} was already used with different parameters.`);
    }
    return this.#book.entry(prior.entry_seq);
  }

  #recordOperation(id: string, fingerprint: string, entry: LedgerEntry): LedgerEntry {
    this.ctx.storage.sql.exec("INSERT INTO operations (id, fingerprint, entry_seq) VALUES (?, ?, ?)", id, fingerprint, entry.seq);
    return entry;
  }

  // --- alarm ---------------------------------------------------------------------------

  /** One alarm, at the earliest of: next hold or lot expiry, replay expiry, the daily retention round, feed retry (or safety net while rows wait). */
  #ensureAlarm(now: number): void {
    let at = Math.min(this.#book.nextDueAt, this.#replays.nextExpiry ?? NEVER, this.#retention.dueAt ?? NEVER);
    if (this.outboxSize() > 0) at = Math.min(at, this.#feed.retryAt > now ? this.#feed.retryAt : now + FEED_SAFETY_MS);
    if (at >= NEVER || (this.#alarmAt !== null && this.#alarmAt <= at)) return;
    this.#alarmAt = at;
    void this.ctx.storage.setAlarm(at - this.#clockOffset);
  }

  /** The company is the object's name; remembered so alarms (which may not carry it) know it too. */
  #resolveCompanyId(): string {
    const stored = readMeta<string>(this.ctx.storage.sql, "company_id");
    const name = this.ctx.id.name;
    if (stored) return stored;
    if (!name) throw new TesseraError("INTERNAL", "A wallet must be addressed by company id (getByName).");
    writeMeta(this.ctx.storage.sql, "company_id", name);
    return name;
  }
}

export interface StorageStats {
  operations: number;
  rowsRead: number;
  rowsWritten: number;
  feed: { rowsRead: number; rowsWritten: number };
}

type Tally = { operations: number; rowsRead: number; rowsWritten: number; cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] };

function tally(): Tally {
  return { operations: 0, rowsRead: 0, rowsWritten: 0, cursors: [] };
}

/** The seq of one of this wallet's entry ids (`<company>:<seq>`), or null for another's or a malformed one. */
function seqOf(entryId: string, companyId: string): number | null {
  const prefix = `${companyId}:`;
  if (!entryId.startsWith(prefix)) return null;
  const seq = Number(entryId.slice(prefix.length));
  return Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

/** The object's SQLite, keeping each statement's cursor so its rows read and written can be counted (index rows too). */
function counted(sql: SqlStorage, writes: Tally): SqlStorage {
  return new Proxy(sql, {
    get(target, prop) {
      if (prop !== "exec") return Reflect.get(target, prop, target);
      return (query: string, ...bindings: SqlStorageValue[]) => {
        const cursor = target.exec(query, ...bindings);
        writes.cursors.push(cursor);
        return cursor;
      };
    },
  });
}
