/**
 * The feed: what the wallet tells the rest of Tessera, through Cloudflare
 * Queues, after its transactions commit. Three streams:
 *
 * - ledger entries and request-log rows, to LEDGER_FEED, whose consumer
 *   copies them into D1 (`transactions`, `request_logs`) idempotently by id,
 *   and, once retention archived old log rows to R2, word that D1's copies
 *   of them may go;
 * - threshold crossings, to CROSSINGS, whose consumer (src/billing) runs
 *   auto-refill and low-balance alerts.
 *
 * The ledger and the calls table have gapless seqs, so what is still to send
 * is the range past a cursor in `meta` (nothing extra is written per call);
 * a crossing row is deleted once sent. A cursor moves only after the queue
 * accepted the messages, so a crash or a failed send re-sends, never skips:
 * delivery is at least once and the consumers are idempotent.
 *
 * A write starts a send a moment later (`SEND_DELAY_MS`), one round, and
 * one send is in flight at a time: rows written meanwhile go with the next,
 * so a busy wallet sends a few full messages a second rather than one per
 * commit (each send also commits its cursor: a storage write of its own).
 * After a failure, eager sends pause (doubling backoff) and the wallet's
 * alarm retries.
 */
import type { Crossing } from "./crossings";
import { readMeta } from "./schema";

/**
 * The columns of a row as the feed sends it: the company first, then the
 * wallet's own columns. SQLite writes each row as a JSON array in this order
 * (`json_array`), so the wallet serializes nothing row by row and the
 * consumer binds the text as it came.
 */
export const FEED_LEDGER_COLUMNS = [
  "company_id",
  "seq",
  "kind",
  "operation_id",
  "amount",
  "balance_after",
  "product_id",
  "product_type",
  "seller_company_id",
  "gross_usd",
  "seller_share_usd",
  "platform_fee_usd",
  "usd_per_credit",
  "reason",
  "created_at",
] as const;

export const FEED_CALL_COLUMNS = [
  "company_id",
  "request_id",
  "key_id",
  "product_id",
  "seller_company_id",
  "channel",
  "method",
  "status",
  "error_code",
  "rows",
  "billed",
  "credits",
  "duration_ms",
  "created_at",
] as const;

/** One message of the ledger feed: a wallet's ledger entries and request-log rows, oldest first. */
export interface FeedMessage {
  companyId: string;
  /** A JSON array of rows, each a JSON array of FEED_LEDGER_COLUMNS. */
  ledger: string;
  /** A JSON array of rows, each a JSON array of FEED_CALL_COLUMNS. */
  calls: string;
  /** Retention archived this wallet's request-log rows before this instant: D1's copies of them may go. */
  pruneCallsBefore?: number;
}

/** Rows read per stream and round. */
const READ_BATCH = 400;
/**
 * Queues take 128 KB a message and 256 KB a send. Sizes are counted in
 * characters; a character is at most 3 bytes here (JSON text of UTF-8), so
 * 40,000 characters stay under 128 KB whatever the text.
 */
const MESSAGE_CHARS = 40_000;
const SEND_CHARS = 80_000;
/** How long after a write its send starts: what D1 may lag behind the wallet, at most a few sends a second. */
const SEND_DELAY_MS = 100;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

export interface FeedQueues {
  ledger: Queue<FeedMessage>;
  crossings: Queue<Crossing>;
}

export interface FeedResult {
  /** False when a queue refused; what is left stays and the alarm retries. */
  ok: boolean;
  sent: number;
}


export class Feed {
  readonly #sql: SqlStorage;
  readonly #companyId: string;
  readonly #queues: FeedQueues;
  readonly #crossings: () => { rows: Crossing[]; remove(ids: string[]): void };
  readonly #onFailure: () => void;
  /** The wallet's clock (a test may move it), which `retryAt` is compared with. */
  readonly #now: () => number;
  #sending: Promise<FeedResult> | null = null;
  /** An eager send scheduled by `kick`, not yet started. */
  #scheduled: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  /** After a queue refused a send, eager sends wait until this time. */
  retryAt = 0;
  /** The last ledger and call seqs the queue accepted (the truth is in `meta`; these follow it). */
  ledgerSent: number;
  callsSent: number;

  constructor(
    sql: SqlStorage,
    companyId: string,
    queues: FeedQueues,
    crossings: () => { rows: Crossing[]; remove(ids: string[]): void },
    onFailure: () => void,
    now: () => number,
  ) {
    this.#sql = sql;
    this.#companyId = companyId;
    this.#queues = queues;
    this.#crossings = crossings;
    this.#onFailure = onFailure;
    this.#now = now;
    this.ledgerSent = readMeta(sql, "fed_ledger_seq") ?? 0;
    this.callsSent = readMeta(sql, "fed_calls_seq") ?? 0;
  }

  /** Ledger entries and call rows not yet sent (crossings are counted by their own table). */
  pending(lastLedgerSeq: number, lastCallSeq: number): number {
    return lastLedgerSeq - this.ledgerSent + lastCallSeq - this.callsSent;
  }

  /**
   * After a write: a send of what is there `SEND_DELAY_MS` from now, unless
   * one is already due or the queues are in backoff. Writes made while it
   * sends schedule the next.
   */
  kick(now: number): void {
    if (this.#scheduled || now < this.retryAt) return;
    this.#scheduled = setTimeout(async () => {
      while (this.#sending) await this.#sending;
      this.#scheduled = null;
      await this.#start(false);
    }, SEND_DELAY_MS);
  }

  /** Waits for the send in flight, then sends whatever is left, backoff or not. */
  async flush(): Promise<FeedResult> {
    while (this.#sending) await this.#sending;
    return this.#start(true);
  }

  #start(untilEmpty: boolean): Promise<FeedResult> {
    const progress = { sent: 0 };
    const run = this.#drain(progress, untilEmpty).then(
      (): FeedResult => {
        this.#failures = 0;
        this.retryAt = 0;
        return { ok: true, sent: progress.sent };
      },
      (error: unknown): FeedResult => {
        this.#failures += 1;
        const backoff = Math.min(RETRY_BASE_MS * 2 ** (this.#failures - 1), RETRY_MAX_MS);
        this.retryAt = this.#now() + backoff;
        console.warn(`wallet ${this.#companyId}: feed send failed, retrying in ${backoff} ms:`, String(error));
        this.#onFailure();
        return { ok: false, sent: progress.sent };
      },
    );
    this.#sending = run;
    void run.then(() => {
      if (this.#sending === run) this.#sending = null;
    });
    return run;
  }

  /**
   * Sends every stream past its cursor, in rounds of at most `READ_BATCH`
   * rows each: what was there when it started, or (`untilEmpty`) also what
   * arrives while it sends, until nothing is left.
   */
  async #drain(progress: { sent: number }, untilEmpty: boolean): Promise<void> {
    for (;;) {
      const ledger = this.#after("ledger", FEED_LEDGER_COLUMNS, this.ledgerSent);
      const calls = this.#after("calls", FEED_CALL_COLUMNS, this.callsSent);
      const crossings = this.#crossings();
      const prune = readMeta<number>(this.#sql, "prune_calls_before");
      if (ledger.length === 0 && calls.length === 0 && crossings.rows.length === 0 && prune === undefined) return;
      const messages = pack(this.#companyId, ledger, calls);
      if (prune !== undefined) messages.push({ companyId: this.#companyId, ledger: "[]", calls: "[]", pruneCallsBefore: prune });
      for (const send of sends(messages)) await this.#queues.ledger.sendBatch(send.map((body) => ({ body, contentType: "json" })));
      if (prune !== undefined) this.#sql.exec("DELETE FROM meta WHERE key = 'prune_calls_before' AND value = ?", prune);
      if (ledger.length) this.ledgerSent = this.#advance("fed_ledger_seq", ledger.at(-1)!.seq);
      if (calls.length) this.callsSent = this.#advance("fed_calls_seq", calls.at(-1)!.seq);
      if (crossings.rows.length) {
        await this.#queues.crossings.sendBatch(crossings.rows.map((body) => ({ body, contentType: "json" })));
        crossings.remove(crossings.rows.map((c) => c.id));
      }
      progress.sent += ledger.length + calls.length + crossings.rows.length;
      if (!untilEmpty && ledger.length < READ_BATCH && calls.length < READ_BATCH) return;
    }
  }

  /** Rows past `from`, each as its JSON text. */
  #after(table: "ledger" | "calls", columns: readonly string[], from: number): Row[] {
    const values = columns.map((c) => (c === "company_id" ? "?1" : c)).join(", ");
    return this.#sql
      .exec<Row>(`SELECT seq, json_array(${values}) AS json FROM ${table} WHERE seq > ?2 ORDER BY seq LIMIT ?3`, this.#companyId, from, READ_BATCH)
      .toArray();
  }

  /** max(): a cursor never moves back, whatever order two sends finish in. Returns where it stands. */
  #advance(cursor: string, seq: number): number {
    this.#sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)",
      cursor,
      seq,
    );
    return readMeta(this.#sql, cursor) ?? seq;
  }
}

type Row = { seq: number; json: string };

/** Both streams' rows into as few messages as fit MESSAGE_CHARS each: one, for a wallet's usual send. */
function pack(companyId: string, ledger: Row[], calls: Row[]): FeedMessage[] {
  const out: FeedMessage[] = [];
  let parts: { ledger: string[]; calls: string[] } = { ledger: [], calls: [] };
  let size = 0;
  const flush = () => {
    out.push({ companyId, ledger: `[${parts.ledger.join(",")}]`, calls: `[${parts.calls.join(",")}]` });
    parts = { ledger: [], calls: [] };
    size = 0;
  };
  const add = (row: Row, into: "ledger" | "calls") => {
    if (size > 0 && size + row.json.length + 1 > MESSAGE_CHARS) flush();
    parts[into].push(row.json);
    size += row.json.length + 1;
  };
  for (const row of ledger) add(row, "ledger");
  for (const row of calls) add(row, "calls");
  if (size > 0) flush();
  return out;
}

/** Messages into sendBatch calls of at most 100 messages and SEND_CHARS. */
function sends(messages: FeedMessage[]): FeedMessage[][] {
  const out: FeedMessage[][] = [];
  let batch: FeedMessage[] = [];
  let size = 0;
  for (const m of messages) {
    const n = m.ledger.length + m.calls.length + 200;
    if (batch.length && (size + n > SEND_CHARS || batch.length === 100)) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(m);
    size += n;
  }
  if (batch.length) out.push(batch);
  return out;
}
