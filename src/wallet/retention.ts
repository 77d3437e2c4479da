/**
 * Nothing in the wallet grows forever. Once a day the alarm:
 *
 * - deletes holds resolved more than HOLD_DAYS ago (their idempotency window);
 * - archives the oldest ledger entries, a month at a time, once they are older
 *   than the ledger horizon: written to R2 as NDJSON
 *   (`archive/ledger/<company>/<YYYY-MM>/<first seq>-<last seq>.ndjson`), then
 *   deleted, their sum and count kept in `meta`, so the balance, the audit and
 *   every figure stay what they were;
 * - does the same for request-log rows past their retention
 *   (`archive/calls/<company>/<YYYY-MM>/...`).
 *
 * A segment is the oldest run of rows (by seq) of one month. Only rows the
 * feed has sent are archived (D1 has them), never the ledger's last entry (it
 * carries the balance), and never a month still open. A segment is written
 * before its rows are deleted, so a crash in between writes it again next
 * time; the ledger refuses to delete an entry past `archived_seq` (schema.ts).
 */
import { currentKind } from "./kinds";
import { CALL_COLUMNS, type CallRow } from "./calls";
import { LEDGER_COLUMNS, toEntry, type LedgerRow } from "./rows";
import { readMeta, writeMeta } from "./schema";
import type { LedgerEntry } from "./types";

const DAY_MS = 86_400_000;
export const HOLD_DAYS = 7;
/** Rows per segment at most, so a busy month becomes several objects of bounded size. */
const SEGMENT_ROWS = 50_000;

export interface RetentionPolicy {
  /** Ledger entries older than this are archived to R2. */
  ledgerDays: number;
  /** Request-log rows older than this are archived to R2. */
  callsDays: number;
}

export function retentionPolicy(env: { LEDGER_HORIZON_DAYS?: string; CALLS_RETENTION_DAYS?: string }): RetentionPolicy {
  const days = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return Number.isFinite(n) && n >= 1 ? n : fallback;
  };
  return { ledgerDays: days(env.LEDGER_HORIZON_DAYS, 400), callsDays: days(env.CALLS_RETENTION_DAYS, 400) };
}

const monthOf = (at: number) => new Date(at).toISOString().slice(0, 7);
/** The first instant of the month after the one `at` is in (UTC). */
const nextMonth = (at: number) => {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

type Row = { seq: number; created_at: number };

export class Retention {
  readonly #sql: SqlStorage;
  readonly #transact: <T>(fn: () => T) => T;
  readonly #companyId: string;
  readonly #archive: R2Bucket;
  readonly #policy: RetentionPolicy;
  /** When the next round is due (in memory for the alarm; `meta.retention_at` is the truth). */
  dueAt: number | null;

  constructor(sql: SqlStorage, transact: <T>(fn: () => T) => T, companyId: string, archive: R2Bucket, policy: RetentionPolicy) {
    this.#sql = sql;
    this.#transact = transact;
    this.#companyId = companyId;
    this.#archive = archive;
    this.#policy = policy;
    this.dueAt = readMeta<number>(sql, "retention_at") ?? null;
  }

  /** Arms the daily round once the wallet has something to keep. */
  arm(now: number): void {
    if (this.dueAt !== null) return;
    this.dueAt = now + DAY_MS;
    writeMeta(this.#sql, "retention_at", this.dueAt);
  }

  /** One round. `sent` is how far the feed has sent each stream. */
  async run(now: number, sent: { ledger: number; calls: number }, lastLedgerSeq: number): Promise<void> {
    this.#sql.exec(
      "DELETE FROM holds WHERE id IN (SELECT id FROM holds WHERE status != 'held' AND created_at < ? LIMIT 5000)",
      now - HOLD_DAYS * DAY_MS,
    );
    const ledgerBefore = now - this.#policy.ledgerDays * DAY_MS;
    for (let i = 0; i < 20; i++) {
      const done = await this.#segment("ledger", LEDGER_COLUMNS, ledgerBefore, Math.min(sent.ledger, lastLedgerSeq - 1), (rows) => {
        const sum = rows.reduce((total, r) => total + (r as unknown as LedgerRow).amount, 0);
        writeMeta(this.#sql, "archived_seq", rows.at(-1)!.seq);
        writeMeta(this.#sql, "archived_entries", (readMeta<number>(this.#sql, "archived_entries") ?? 0) + rows.length);
        writeMeta(this.#sql, "archived_sum", (readMeta<number>(this.#sql, "archived_sum") ?? 0) + sum);
      });
      if (!done) break;
    }
    const callsBefore = now - this.#policy.callsDays * DAY_MS;
    let archivedCalls = false;
    for (let i = 0; i < 20; i++) {
      if (!(await this.#segment("calls", CALL_COLUMNS, callsBefore, sent.calls, () => {}))) break;
      archivedCalls = true;
    }
    if (archivedCalls) {
      // D1's copies of archived rows may go: those older than every row still kept here.
      const kept = this.#sql.exec<{ at: number | null }>("SELECT min(created_at) AS at FROM calls").one().at;
      writeMeta(this.#sql, "prune_calls_before", Math.min(kept ?? callsBefore, callsBefore));
    }
    this.dueAt = now + DAY_MS;
    writeMeta(this.#sql, "retention_at", this.dueAt);
  }

  /** What the archive took from the ledger: its entries' count and sum, and the last seq archived. */
  archived(): { entries: number; sum: number; seq: number } {
    return {
      entries: readMeta<number>(this.#sql, "archived_entries") ?? 0,
      sum: readMeta<number>(this.#sql, "archived_sum") ?? 0,
      seq: readMeta<number>(this.#sql, "archived_seq") ?? 0,
    };
  }

  /**
   * The archived ledger entries of one month (YYYY-MM), oldest first: for
   * disputes and audits. Segments are never rewritten, so those archived
   * before the deposit kinds were renamed are renamed here, as read.
   */
  async ledgerMonth(month: string): Promise<LedgerEntry[]> {
    const rows = await this.#read("ledger", month);
    return (rows as LedgerRow[]).map((row) => toEntry(this.#companyId, { ...row, kind: currentKind(row.kind) }));
  }

  /** The archived request-log rows of one month, oldest first. */
  async callsMonth(month: string): Promise<CallRow[]> {
    return (await this.#read("calls", month)) as CallRow[];
  }

  async #read(table: "ledger" | "calls", month: string): Promise<unknown[]> {
    const prefix = `archive/${table}/${this.#companyId}/${month}/`;
    const listed = await this.#archive.list({ prefix });
    const out: unknown[] = [];
    const keys = listed.objects.map((o) => o.key).sort((a, b) => Number(a.slice(prefix.length).split("-")[0]) - Number(b.slice(prefix.length).split("-")[0]));
    for (const key of keys) {
      const text = (await (await this.#archive.get(key))?.text()) ?? "";
      for (const line of text.split("\n")) if (line) out.push(JSON.parse(line));
    }
    return out;
  }

  /**
   * Archives one segment of `table`: the oldest rows (by seq) of the oldest
   * month, if that month ended before `before` and every row of it is at most
   * `maxSeq`. False when there is none to archive.
   */
  async #segment(table: "ledger" | "calls", columns: string, before: number, maxSeq: number, note: (rows: Row[]) => void): Promise<boolean> {
    const first = this.#sql.exec<Row>(`SELECT seq, created_at FROM ${table} ORDER BY seq LIMIT 1`).toArray()[0];
    if (!first) return false;
    const end = nextMonth(first.created_at);
    if (end > before) return false;
    const rows = this.#sql
      .exec<Row & Record<string, SqlStorageValue>>(`SELECT ${columns} FROM ${table} WHERE seq <= ? ORDER BY seq LIMIT ?`, maxSeq, SEGMENT_ROWS)
      .toArray();
    // The run of this month's rows from the start; a later row of the month (a straggler) goes in a segment of its own.
    const cut = rows.findIndex((r) => r.created_at >= end);
    const segment = cut === -1 ? rows : rows.slice(0, cut);
    if (segment.length === 0) return false;
    const last = segment.at(-1)!.seq;
    const key = `archive/${table}/${this.#companyId}/${monthOf(first.created_at)}/${segment[0]!.seq}-${last}.ndjson`;
    await this.#archive.put(key, segment.map((r) => JSON.stringify(r)).join("\n") + "\n", { httpMetadata: { contentType: "application/x-ndjson" } });
    this.#transact(() => {
      note(segment);
      this.#sql.exec(`DELETE FROM ${table} WHERE seq <= ?`, last);
    });
    return true;
  }
}
