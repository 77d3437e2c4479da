/**
 * A buyer's `Idempotency-Key`s, as Stripe keeps them: the first attempt of a
 * key claims it (pending), runs, and stores its answer when it settles; a
 * retry of a finished call gets that answer back, unbilled; a retry while the
 * first still runs is CONFLICT; a pending claim older than STALE_MS (its
 * attempt died) may be taken over. Every attempt of one key charges under one
 * operation id, the first attempt's request id, and only the attempt that
 * owns the claim may settle it, so no retry, after any failure anywhere, can
 * charge twice. A failed call frees the key (failures are not billed, so a
 * retry runs again). Records expire after RETENTION_MS.
 */
import { TesseraError } from "../errors";
import type { ReplayScope, ReplayStart, StoredAnswer } from "./types";

export const STALE_MS = 60_000;
/** How long a finished call can be replayed: 24 hours, as Stripe's keys. */
export const REPLAY_RETENTION_MS = 24 * 60 * 60_000;

type ReplayRow = {
  scope: string;
  request_hash: string;
  operation_id: string;
  owner: string;
  status: number;
  body: string | null;
  body_ref: string | null;
  created_at: number;
  claimed_at: number;
};

export const replaysDdl = [
  `CREATE TABLE IF NOT EXISTS replays (
    scope TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    operation_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT,
    body_ref TEXT,
    created_at INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL
  ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS replays_age ON replays (created_at)`,
];

const PENDING = 0;

export class Replays {
  readonly #sql: SqlStorage;
  /** When the oldest record expires (kept in memory for the alarm), or null when there are none. */
  nextExpiry: number | null;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.nextExpiry = this.#oldestExpiry();
  }

  #find(scope: string, now: number): ReplayRow | undefined {
    const row = this.#sql.exec<ReplayRow>("SELECT * FROM replays WHERE scope = ?", scope).toArray()[0];
    if (row && row.created_at <= now - REPLAY_RETENTION_MS) {
      this.#sql.exec("DELETE FROM replays WHERE scope = ?", scope);
      return undefined;
    }
    return row;
  }

  /** Claims the key for attempt `requestId`, or gives the first attempt's answer back. */
  begin(replay: ReplayScope, requestId: string, now: number): ReplayStart {
    const row = this.#find(replay.scope, now);
    if (!row) {
      this.#sql.exec(
        "INSERT INTO replays (scope, request_hash, operation_id, owner, status, created_at, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        replay.scope,
        replay.requestHash,
        requestId,
        requestId,
        PENDING,
        now,
        now,
      );
      this.nextExpiry = Math.min(this.nextExpiry ?? Number.MAX_SAFE_INTEGER, now + REPLAY_RETENTION_MS);
      return { kind: "new", operationId: requestId };
    }
    if (row.request_hash !== replay.requestHash) {
      throw new TesseraError("CONFLICT", "This Idempotency-Key was used with other parameters.");
    }
    if (row.status !== PENDING) return { kind: "replay", operationId: row.operation_id, answer: answerOf(row) };
    if (row.owner === requestId) return { kind: "new", operationId: row.operation_id };
    if (now - row.claimed_at < STALE_MS) {
      throw new TesseraError("CONFLICT", "A request with this Idempotency-Key is still in progress.");
    }
    // The attempt that claimed it died; this one takes over, under the same operation id.
    this.#sql.exec("UPDATE replays SET owner = ?, claimed_at = ? WHERE scope = ?", requestId, now, replay.scope);
    return { kind: "new", operationId: row.operation_id };
  }

  /** The operation id attempt `requestId` settles under; CONFLICT if it no longer owns the claim. */
  owned(replay: ReplayScope, requestId: string, now: number): string {
    const row = this.#find(replay.scope, now);
    if (!row || row.status !== PENDING || row.owner !== requestId || row.request_hash !== replay.requestHash) {
      throw new TesseraError("CONFLICT", "Another request with this Idempotency-Key took it over.");
    }
    return row.operation_id;
  }

  /** Stores the finished call's answer for replays. */
  finish(scope: string, answer: StoredAnswer): void {
    this.#sql.exec(
      "UPDATE replays SET status = ?, body = ?, body_ref = ? WHERE scope = ?",
      answer.status,
      answer.body ?? null,
      answer.bodyRef ?? null,
      scope,
    );
  }

  /** Frees the key after attempt `owner` failed, so a retry runs again. */
  free(scope: string, owner: string): void {
    this.#sql.exec("DELETE FROM replays WHERE scope = ? AND status = ? AND owner = ?", scope, PENDING, owner);
  }

  /** Deletes records past retention; returns the R2 keys of their bodies, to delete too. */
  prune(now: number, limit: number): string[] {
    const old = this.#sql
      .exec<{ scope: string; body_ref: string | null }>(
        "SELECT scope, body_ref FROM replays WHERE created_at <= ? ORDER BY created_at LIMIT ?",
        now - REPLAY_RETENTION_MS,
        limit,
      )
      .toArray();
    for (const row of old) this.#sql.exec("DELETE FROM replays WHERE scope = ?", row.scope);
    this.nextExpiry = this.#oldestExpiry();
    return old.flatMap((row) => (row.body_ref ? [row.body_ref] : []));
  }

  #oldestExpiry(): number | null {
    const at = this.#sql.exec<{ at: number | null }>("SELECT min(created_at) AS at FROM replays").one().at;
    return at === null ? null : at + REPLAY_RETENTION_MS;
  }
}

function answerOf(row: ReplayRow): StoredAnswer {
  return { status: row.status, ...(row.body !== null ? { body: row.body } : {}), ...(row.body_ref !== null ? { bodyRef: row.body_ref } : {}) };
}
