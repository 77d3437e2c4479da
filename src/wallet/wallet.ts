import { DurableObject } from "cloudflare:workers";
import { TesseraError, toRpcError } from "../errors";
import { formatDecimal, MICRO, type Credits } from "../money";
import { Book } from "./book";
import { Holds } from "./holds";
import { Outbox } from "./outbox";
import { Crossings, watchNames, type Crossing, type WatchName } from "./crossings";
import { LEDGER_COLUMNS, holdView, toEntry, type LedgerRow } from "./rows";
import { createSchema, NEVER, readMeta, writeMeta } from "./schema";
import type {
  AdjustInput,
  AuditView,
  BalanceView,
  ChargeInput,
  CommitInput,
  CommitResult,
  DepositInput,
  FlushResult,
  HistoryQuery,
  HoldInput,
  HoldResult,
  HoldView,
  LedgerEntry,
} from "./types";
import {
  checkAdjust,
  checkCharge,
  checkCommit,
  checkDeposit,
  checkHistory,
  checkHold,
  checkId,
  checkThreshold,
  commitFingerprint,
} from "./validate";

const DEFAULT_LOW_BALANCE = (20 * MICRO) as Credits;
/** An alarm this soon after a write guarantees the outbox drains even if the object is evicted mid-flush. */
const OUTBOX_SAFETY_MS = 30_000;

type OperationRow = { fingerprint: string; entry_seq: number };

/**
 * A company's wallet: the single writer of its credits. One object per
 * company, addressed by `env.WALLET.getByName(companyId)`.
 *
 * Invariant, at every instant: `available = balance - held >= 0`, where
 * balance = deposits - charges - adjustments - expiries = the ledger's sum.
 *
 * Every method does its read-check-write in one synchronous section inside
 * `transactionSync` (the methods are deliberately not `async`): no other call
 * can interleave, a thrown error rolls everything back, and the output gate
 * holds the response until the write is durable.
 *
 * Idempotency: every call carries a caller-chosen id. There are two id
 * spaces: deposits and adjustments share one; holds and charges share the
 * other (a charge is a hold committed at once). Commit and release name the
 * hold. A repeat with the same parameters returns the first outcome and moves
 * nothing; the same id with other parameters is CONFLICT.
 */
export class Wallet extends DurableObject<Env> {
  #book!: Book;
  #holds!: Holds;
  #companyId!: string;
  #outbox!: Outbox;
  /** Threshold watches for auto-refill and low-balance alerts (crossings.ts). */
  #crossings!: Crossings;
  #threshold: Credits = DEFAULT_LOW_BALANCE;
  /** The alarm as scheduled, so the hot path need not ask storage. */
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      const sql = ctx.storage.sql;
      createSchema(sql);
      this.#companyId = this.#resolveCompanyId();
      this.#book = new Book(sql, this.#companyId);
      this.#holds = new Holds(sql, this.#book);
      this.#outbox = new Outbox(sql, env.DB, this.#companyId, () => this.#ensureAlarm(Date.now()));
      this.#crossings = new Crossings(sql, this.#companyId);
      this.#threshold = readMeta<Credits>(sql, "low_balance_threshold") ?? DEFAULT_LOW_BALANCE;
      this.#alarmAt = await ctx.storage.getAlarm();
      this.#ensureAlarm(Date.now());
    });
  }

  /**
   * Adds credits as a new lot (purchases never expire; others may carry
   * `expiresAt`). Balance and available grow by exactly `credits`; one ledger
   * entry; a repeat of the same id moves nothing.
   */
  deposit(input: DepositInput): LedgerEntry {
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
  adjust(input: AdjustInput): LedgerEntry {
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
  hold(input: HoldInput): HoldResult {
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
  commit(input: CommitInput): CommitResult {
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
  release(input: { id: string }): HoldResult {
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
  charge(input: ChargeInput): CommitResult {
    return this.#run((now) => {
      const { value: c, fingerprint } = checkCharge(input);
      const prior = this.#holds.find(c.id);
      if (prior) return this.#holds.repeat(prior, fingerprint) as CommitResult;
      this.#requireAvailable(c.credits);
      return this.#holds.charge(c.id, c.credits, c.sale, fingerprint, now);
    });
  }

  /** The balance now, after any expiry that is due. Reads only; `available` is never negative. */
  balance(): BalanceView {
    return this.#run(() => this.#balanceView());
  }

  /** Warns when available credits fall below `credits` (0 turns the warning off). Moves nothing. */
  setLowBalanceThreshold(credits: Credits): BalanceView {
    return this.#run(() => {
      this.#threshold = checkThreshold(credits);
      writeMeta(this.ctx.storage.sql, "low_balance_threshold", this.#threshold);
      // An armed low-balance alert follows the warning threshold.
      if (this.#crossings.get("low_balance") !== null) this.#crossings.set("low_balance", this.#threshold);
      return this.#balanceView();
    });
  }

  /** A hold (or charge) by its id, or null. Reads only. */
  getHold(id: string): HoldView | null {
    return this.#run(() => {
      const row = this.#holds.find(checkId(id));
      return row ? holdView(row) : null;
    });
  }

  /**
   * Ledger entries, newest first, filtered by kind and time ([from, to)).
   * Page backwards with `beforeSeq` = the last entry's seq. Reads only.
   */
  history(query: HistoryQuery = {}): LedgerEntry[] {
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

  /** Ledger entries not yet copied to D1. */
  outboxSize(): number {
    return this.#outbox.size(this.#book.seq);
  }

  /**
   * Copies pending ledger entries to D1 now. Never loses or duplicates an
   * entry: rows are keyed by entry id, and the cursor moves only after D1
   * accepted them. On failure the entries stay queued and the alarm retries.
   */
  async flush(): Promise<FlushResult> {
    try {
      return await this.#outbox.flush();
    } catch (error) {
      throw toRpcError(error);
    }
  }

  /** Recomputes the books from storage and compares them with the totals in memory. Reads only. */
  audit(): AuditView {
    try {
      const sql = this.ctx.storage.sql;
      const sum = (query: string) => sql.exec<{ total: number }>(query).one().total;
      const ledgerSum = sum("SELECT coalesce(sum(amount), 0) AS total FROM ledger") as Credits;
      const heldInHolds = sum("SELECT coalesce(sum(credits), 0) AS total FROM holds WHERE status = 'held'") as Credits;
      const lotsRemaining = sum("SELECT coalesce(sum(remaining), 0) AS total FROM lots") as Credits;
      const entries = sum("SELECT count(*) AS total FROM ledger");
      const { balance, held } = this.#book;
      return {
        balance: balance as Credits,
        held: held as Credits,
        ledgerSum,
        heldInHolds,
        lotsRemaining,
        entries,
        ok: ledgerSum === balance && heldInHolds === held && lotsRemaining === balance - held && balance - held >= 0 && entries === this.#book.seq,
      };
    } catch (error) {
      throw toRpcError(error);
    }
  }

  /** Lapses due holds, expires due lots, retries the outbox, then re-arms for the next of those. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const availableBefore = this.#book.available;
    this.#settle(Date.now());
    this.#crossings.detect(availableBefore, this.#book.available, Date.now());
    if (this.outboxSize() > 0) await this.#outbox.flush();
    await this.#crossings.deliver(this.env, Date.now());
    this.#ensureAlarm(Date.now());
  }

  /**
   * Arms a threshold watch, or disarms it with null: when an operation takes
   * available credits from at or above the threshold to below it, the
   * crossing is recorded in that operation's transaction and handed to
   * billing from the alarm, once per crossing (crossings.ts). `low_balance`
   * follows the low-balance warning threshold; a value given for it becomes
   * that threshold. Moves no credits.
   */
  watch(name: WatchName, threshold: Credits | null): BalanceView {
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

  /** Armed watches and crossings not yet handled. Reads only. */
  crossings(): { watches: Record<WatchName, Credits | null>; pending: Crossing[] } {
    return this.#run(() => ({
      watches: { low_balance: this.#crossings.get("low_balance"), auto_refill: this.#crossings.get("auto_refill") },
      pending: this.#crossings.pending(),
    }));
  }

  // --- the one path every operation takes -------------------------------------------------

  /** Settles what is due, runs `op` in one transaction, then starts the outbox copy and re-arms. */
  #run<T>(op: (now: number) => T): T {
    const now = Date.now();
    const seqBefore = this.#book.seq;
    const availableBefore = this.#book.available;
    try {
      this.#settle(now);
      return this.#atomically(() => {
        const result = op(now);
        this.#crossings.detect(availableBefore, this.#book.available, now);
        return result;
      });
    } catch (error) {
      throw toRpcError(error);
    } finally {
      // Also after a refused operation: settling may have written expiry entries.
      if (this.#book.seq !== seqBefore) this.#outbox.kick(now);
      this.#ensureAlarm(now);
    }
  }

  /** `transactionSync`, with the in-memory totals rolled back along with storage. */
  #atomically<T>(fn: () => T): T {
    const saved = this.#book.save();
    try {
      return this.ctx.storage.transactionSync(fn);
    } catch (error) {
      this.#book.restore(saved);
      throw error;
    }
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

  /** One alarm, at the earliest of: next hold or lot expiry, outbox retry (or safety net while entries are queued). */
  #ensureAlarm(now: number): void {
    let at = Math.min(this.#book.nextDueAt, this.#crossings.nextDueAt);
    const { retryAt, flushedSeq } = this.#outbox;
    if (this.#book.seq > flushedSeq) at = Math.min(at, retryAt > now ? retryAt : now + OUTBOX_SAFETY_MS);
    if (at >= NEVER || (this.#alarmAt !== null && this.#alarmAt <= at)) return;
    this.#alarmAt = at;
    void this.ctx.storage.setAlarm(at);
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
