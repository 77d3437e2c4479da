/**
 * The wallet's books: the ledger, the deposit lots, and the totals kept in
 * memory so the hot path reads no sums. Every method is synchronous and is
 * called inside the wallet's `transactionSync`; the wallet snapshots the
 * in-memory totals first and restores them if the transaction throws, so
 * memory and storage never disagree.
 */
import type { LedgerKind } from "./kinds";
import { TesseraError } from "../errors";
import type { Sale } from "./types";
import { LEDGER_COLUMNS, toEntry, type LedgerRow } from "./rows";
import { NEVER } from "./schema";
import type { LedgerEntry } from "./types";

export interface NewEntry {
  kind: LedgerKind;
  operationId: string;
  /** Signed micro-credits. */
  amount: number;
  usdPerCredit: number;
  sale?: Sale | null;
  reason?: string | null;
}

/** Credits a hold or a charge took from one lot. */
export interface Take {
  lotId: number;
  credits: number;
}

export interface Totals {
  balance: number;
  held: number;
  seq: number;
  nextDueAt: number;
}

export class Book {
  readonly #sql: SqlStorage;
  readonly companyId: string;
  /** Sum of the ledger: deposits - charges - adjustments - expiries. */
  balance = 0;
  /** Sum of open holds. */
  held = 0;
  /** The last ledger seq. */
  seq = 0;
  /** No lot expires and no open hold lapses before this instant (it may be early, never late). */
  nextDueAt = NEVER;

  constructor(sql: SqlStorage, companyId: string) {
    this.#sql = sql;
    this.companyId = companyId;
    const last = sql.exec<{ seq: number; balance_after: number }>(
      "SELECT seq, balance_after FROM ledger ORDER BY seq DESC LIMIT 1",
    ).toArray()[0];
    this.seq = last?.seq ?? 0;
    this.balance = last?.balance_after ?? 0;
    this.held = sql.exec<{ held: number }>("SELECT coalesce(sum(credits), 0) AS held FROM holds WHERE status = 'held'").one().held;
    this.recomputeDue();
  }

  get available(): number {
    return this.balance - this.held;
  }

  save(): Totals {
    return { balance: this.balance, held: this.held, seq: this.seq, nextDueAt: this.nextDueAt };
  }

  restore(totals: Totals): void {
    ({ balance: this.balance, held: this.held, seq: this.seq, nextDueAt: this.nextDueAt } = totals);
  }

  /** Appends one entry and moves the balance by its amount. */
  append(entry: NewEntry, now: number): LedgerEntry {
    const balanceAfter = this.balance + entry.amount;
    // Holds reserve what lots hold, so a balance below `held` means the books are broken, not the caller.
    if (balanceAfter < this.held || !Number.isSafeInteger(balanceAfter)) {
      throw new TesseraError("INTERNAL", "A ledger entry would break the wallet's invariant.");
    }
    const sale = entry.sale ?? null;
    const row: LedgerRow = {
      seq: this.seq + 1,
      kind: entry.kind,
      operation_id: entry.operationId,
      amount: entry.amount,
      balance_after: balanceAfter,
      product_id: sale?.productId ?? null,
      product_type: sale?.productType ?? null,
      seller_company_id: sale?.sellerCompanyId ?? null,
      gross_usd: sale?.grossUsd ?? null,
      seller_share_usd: sale?.sellerShareUsd ?? null,
      platform_fee_usd: sale?.platformFeeUsd ?? null,
      usd_per_credit: entry.usdPerCredit,
      reason: entry.reason ?? null,
      created_at: now,
    };
    this.#sql.exec(
      `INSERT INTO ledger (${LEDGER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ...Object.values(row),
    );
    this.seq = row.seq;
    this.balance = balanceAfter;
    // Built from the same row shape a read returns, so a retry's copy is identical.
    return toEntry(this.companyId, row);
  }

  entry(seq: number): LedgerEntry {
    const entry = this.find(seq);
    if (!entry) throw new TesseraError("INTERNAL", `The wallet has no ledger entry ${seq}.`);
    return entry;
  }

  /** The entry `seq`, if the wallet still holds it (archived ones have left). */
  find(seq: number): LedgerEntry | undefined {
    const row = this.#sql.exec<LedgerRow>(`SELECT ${LEDGER_COLUMNS} FROM ledger WHERE seq = ?`, seq).toArray()[0];
    return row ? toEntry(this.companyId, row) : undefined;
  }

  /** A deposit becomes a lot, known by its ledger seq. */
  addLot(seq: number, operationId: string, credits: number, expiresAt: number | null, usdPerCredit: number): void {
    const key = expiresAt ?? NEVER;
    this.#sql.exec(
      "INSERT INTO lots (id, operation_id, expires_at, expires_key, remaining, usd_per_credit) VALUES (?, ?, ?, ?, ?, ?)",
      seq,
      operationId,
      expiresAt,
      key,
      credits,
      usdPerCredit,
    );
    if (key < this.nextDueAt) this.nextDueAt = key;
  }

  /**
   * Takes `amount` from the lots, soonest-expiring first (never-expiring
   * last). The caller has checked `available`; lots are settled, so every lot
   * with something left is unexpired and together they hold exactly `available`.
   */
  take(amount: number): Take[] {
    const takes: Take[] = [];
    let left = amount;
    const lots = this.#sql.exec<{ id: number; remaining: number }>(
      "SELECT id, remaining FROM lots WHERE remaining > 0 ORDER BY expires_key, id",
    );
    for (const lot of lots) {
      const credits = Math.min(lot.remaining, left);
      takes.push({ lotId: lot.id, credits });
      left -= credits;
      if (left === 0) break;
    }
    if (left !== 0) throw new TesseraError("INTERNAL", "The wallet's lots do not cover its available credits.");
    for (const t of takes) this.#sql.exec("UPDATE lots SET remaining = remaining - ? WHERE id = ?", t.credits, t.lotId);
    return takes;
  }

  /**
   * Returns credits a hold took to their lot. If the lot has expired in the
   * meantime, the returned credits expire at once, with an expiry entry:
   * credits never vanish silently. `heldBy` is the hold's operation id.
   */
  giveBack(take: Take, now: number, heldBy: string): void {
    const lot = this.#sql
      .exec<{ operation_id: string; expires_key: number; usd_per_credit: number }>(
        "SELECT operation_id, expires_key, usd_per_credit FROM lots WHERE id = ?",
        take.lotId,
      )
      .one();
    if (lot.expires_key <= now) {
      this.append(
        {
          kind: "expiry",
          operationId: lot.operation_id,
          amount: -take.credits,
          usdPerCredit: lot.usd_per_credit,
          reason: `expired while held by ${heldBy}`,
        },
        now,
      );
      return;
    }
    this.#sql.exec("UPDATE lots SET remaining = remaining + ? WHERE id = ?", take.credits, take.lotId);
    if (lot.expires_key < this.nextDueAt) this.nextDueAt = lot.expires_key;
  }

  /** What is left of every lot whose time has come becomes an expiry entry. */
  expireLots(now: number): void {
    const due = this.#sql
      .exec<{ id: number; operation_id: string; remaining: number; usd_per_credit: number }>(
        "SELECT id, operation_id, remaining, usd_per_credit FROM lots WHERE remaining > 0 AND expires_key <= ? ORDER BY expires_key, id",
        now,
      )
      .toArray();
    for (const lot of due) {
      this.#sql.exec("UPDATE lots SET remaining = 0 WHERE id = ?", lot.id);
      this.append(
        { kind: "expiry", operationId: lot.operation_id, amount: -lot.remaining, usdPerCredit: lot.usd_per_credit, reason: "expired" },
        now,
      );
    }
  }

  recomputeDue(): void {
    const lot = this.#sql.exec<{ at: number | null }>("SELECT min(expires_key) AS at FROM lots WHERE remaining > 0").one().at;
    const hold = this.#sql.exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM holds WHERE status = 'held'").one().at;
    this.nextDueAt = Math.min(lot ?? NEVER, hold ?? NEVER);
  }

  noteDue(at: number): void {
    if (at < this.nextDueAt) this.nextDueAt = at;
  }
}
