/**
 * Holds: reservations against the lots, resolved exactly once (committed,
 * released, or expired). A charge is stored as a hold committed at once, so
 * holds and charges share one space of operation ids.
 *
 * Lots that expire while part of them is held: the hold keeps what it took.
 * A commit spends it normally; whatever goes back to an expired lot (the
 * unspent part of a partial commit, a release, a lapsed hold) expires at
 * once with its own expiry entry.
 */
import { TesseraError } from "../errors";
import type { Credits } from "../money";
import type { Book, Take } from "./book";
import { holdView, type HoldRow } from "./rows";
import type { CommitResult, HoldResult, HoldStatus, LedgerEntry, Sale } from "./types";
import { RELEASE_FINGERPRINT } from "./validate";

const HOLD_COLUMNS =
  "id, kind, credits, status, committed, expires_at, created_at, fingerprint, available_after, entry_seq, resolution_fingerprint, resolution_available";

export class Holds {
  readonly #sql: SqlStorage;
  readonly #book: Book;
  /** Told when a hold resolves (committed, released, expired), so a key's cap stops reserving it. */
  readonly #onResolved: (operationId: string) => void;

  constructor(sql: SqlStorage, book: Book, onResolved: (operationId: string) => void = () => {}) {
    this.#sql = sql;
    this.#book = book;
    this.#onResolved = onResolved;
  }

  find(id: string): HoldRow | undefined {
    return this.#sql.exec<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE id = ?`, id).toArray()[0];
  }

  /** The first outcome of the hold or charge call that created `row`, or CONFLICT if the parameters differ. */
  repeat(row: HoldRow, fingerprint: string): HoldResult | CommitResult {
    if (row.fingerprint !== fingerprint) {
      throw new TesseraError("CONFLICT", `Id ${row.id} was already used for a different ${row.kind}.`);
    }
    if (row.kind === "hold") return { hold: holdView(row, "held", 0), available: row.available_after as Credits };
    return { hold: holdView(row), entry: this.#book.entry(row.entry_seq!), available: row.available_after as Credits };
  }

  /** Reserves `credits` from the lots. The caller has checked they are available. */
  open(id: string, credits: Credits, expiresAt: number, fingerprint: string, now: number, keyId: string | null = null): HoldResult {
    const takes = this.#book.take(credits);
    this.#book.held += credits;
    this.#book.noteDue(expiresAt);
    for (const take of takes) {
      this.#sql.exec("INSERT INTO hold_lots (hold_id, lot_id, credits) VALUES (?, ?, ?)", id, take.lotId, take.credits);
    }
    const available = this.#book.available as Credits;
    this.#sql.exec(
      "INSERT INTO holds (id, kind, credits, status, committed, expires_at, created_at, fingerprint, available_after, key_id) VALUES (?, 'hold', ?, 'held', 0, ?, ?, ?, ?, ?)",
      id,
      credits,
      expiresAt,
      now,
      fingerprint,
      available,
      keyId,
    );
    return { hold: { id, credits, status: "held", committed: 0 as Credits, expiresAt }, available };
  }

  /** Takes and spends at once: the charge entry is written, nothing stays held. */
  charge(id: string, credits: Credits, sale: Sale, fingerprint: string, now: number): CommitResult {
    this.#book.take(credits);
    const entry = this.#book.append(
      { kind: "charge", operationId: id, amount: -credits, usdPerCredit: sale.usdPerCredit, sale },
      now,
    );
    const available = this.#book.available as Credits;
    this.#sql.exec(
      "INSERT INTO holds (id, kind, credits, status, committed, expires_at, created_at, fingerprint, available_after, entry_seq) VALUES (?, 'charge', ?, 'committed', ?, ?, ?, ?, ?, ?)",
      id,
      credits,
      credits,
      now,
      now,
      fingerprint,
      available,
      entry.seq,
    );
    return { hold: { id, credits, status: "committed", committed: credits, expiresAt: now }, entry, available };
  }

  /**
   * Spends `credits` (≤ held) of an open hold, soonest-expiring lots first,
   * and gives the rest back. The charge entry carries `operationId` (the
   * hold's own id unless a metered call settles under its first attempt's id).
   */
  commit(row: HoldRow, credits: Credits, sale: Sale, fingerprint: string, now: number, operationId = row.id): CommitResult {
    const takes = this.#takesOf(row.id);
    this.#book.held -= row.credits;
    const entry: LedgerEntry = this.#book.append(
      { kind: "charge", operationId, amount: -credits, usdPerCredit: sale.usdPerCredit, sale },
      now,
    );
    let toSpend: number = credits;
    for (const take of takes) {
      const spent = Math.min(take.credits, toSpend);
      toSpend -= spent;
      if (take.credits > spent) this.#book.giveBack({ lotId: take.lotId, credits: take.credits - spent }, now, row.id);
    }
    this.#sql.exec("DELETE FROM hold_lots WHERE hold_id = ?", row.id);
    const available = this.#book.available as Credits;
    this.#sql.exec(
      "UPDATE holds SET status = 'committed', committed = ?, entry_seq = ?, resolution_fingerprint = ?, resolution_available = ? WHERE id = ?",
      credits,
      entry.seq,
      fingerprint,
      available,
      row.id,
    );
    this.#onResolved(row.id);
    return { hold: holdView(row, "committed", credits), entry, available };
  }

  /** The first outcome of a commit, when `fingerprint` repeats it. */
  repeatCommit(row: HoldRow, fingerprint: string): CommitResult | undefined {
    if (row.status !== "committed" || row.kind !== "hold" || row.resolution_fingerprint !== fingerprint) return undefined;
    return { hold: holdView(row), entry: this.#book.entry(row.entry_seq!), available: row.resolution_available as Credits };
  }

  /** Gives everything an open hold took back to its lots. */
  release(row: HoldRow, status: Extract<HoldStatus, "released" | "expired">, now: number): HoldResult {
    this.#book.held -= row.credits;
    for (const take of this.#takesOf(row.id)) this.#book.giveBack(take, now, row.id);
    const available = this.#book.available as Credits;
    this.#sql.exec("DELETE FROM hold_lots WHERE hold_id = ?", row.id);
    this.#sql.exec(
      "UPDATE holds SET status = ?, resolution_fingerprint = ?, resolution_available = ? WHERE id = ?",
      status,
      status === "released" ? RELEASE_FINGERPRINT : null,
      available,
      row.id,
    );
    this.#onResolved(row.id);
    return { hold: holdView(row, status, 0), available };
  }

  repeatRelease(row: HoldRow): HoldResult | undefined {
    if (row.status !== "released") return undefined;
    return { hold: holdView(row), available: row.resolution_available as Credits };
  }

  /** Lapses every open hold whose time has come. */
  expireDue(now: number): void {
    const due = this.#sql
      .exec<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE status = 'held' AND expires_at <= ? ORDER BY expires_at, id`, now)
      .toArray();
    for (const row of due) this.release(row, "expired", now);
  }

  /** What the hold took, soonest-expiring lot first (the order a commit spends in). */
  #takesOf(operationId: string): Take[] {
    return this.#sql
      .exec<{ lotId: number; credits: number }>(
        "SELECT h.lot_id AS lotId, h.credits AS credits FROM hold_lots h JOIN lots l ON l.id = h.lot_id WHERE h.hold_id = ? ORDER BY l.expires_key, l.id",
        operationId,
      )
      .toArray();
  }
}
