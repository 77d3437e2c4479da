/**
 * The ledger feed's consumer: copies wallets' ledger entries and request-log
 * rows (sent by src/wallet/feed.ts through the LEDGER_FEED queue) into D1's
 * `transactions` and `request_logs`, in batches.
 *
 * Every row is inserted with `ON CONFLICT(id) DO NOTHING`, so redeliveries,
 * reorderings and retries change nothing twice, and D1 ends equal to the
 * wallets exactly. A batch D1 refuses is retried as a whole with growing
 * delays (D1 down, then up, loses nothing); after the queue's last retry the
 * messages go to the dead-letter queue, whose consumer puts them back on
 * the feed later (deadLetters below), so they are never dropped.
 */
import { formerKinds } from "../wallet/kinds";
import { FEED_CALL_COLUMNS, FEED_LEDGER_COLUMNS, type FeedMessage } from "../wallet/feed";

const RETRY_BASE_S = 2;
const RETRY_MAX_S = 15 * 60;
/** JSON text per statement: well under D1's 2 MB per value. */
const CHUNK_CHARS = 400_000;

/**
 * A message sent before the deposit kinds were renamed may arrive after D1's
 * rows were (a queued or dead-lettered one): its kind is renamed as it lands.
 */
const kindOf = (value: string) =>
  `CASE ${value} ${Object.entries(formerKinds).map(([former, current]) => `WHEN '${former}' THEN '${current}'`).join(" ")} ELSE ${value} END`;

/** D1's `transactions` takes the feed's ledger rows as they came: its id is the company and the seq. */
const LEDGER_SQL = `INSERT INTO transactions (id, ${FEED_LEDGER_COLUMNS.join(", ")})
  SELECT (value->>0) || ':' || (value->>1), ${FEED_LEDGER_COLUMNS.map((c, i) => (c === "kind" ? kindOf(`value->>${i}`) : `value->>${i}`)).join(", ")}
  FROM json_each(?) WHERE true ON CONFLICT(id) DO NOTHING`;

/** D1's `request_logs` takes the feed's call rows as they came: its id is the request id. */
const CALLS_SQL = `INSERT INTO request_logs (${FEED_CALL_COLUMNS.map((c) => (c === "request_id" ? "id" : c)).join(", ")})
  SELECT ${FEED_CALL_COLUMNS.map((_, i) => `value->>${i}`).join(", ")}
  FROM json_each(?) WHERE true ON CONFLICT(id) DO NOTHING`;

function isFeedMessage(body: unknown): body is FeedMessage {
  const m = body as FeedMessage | null;
  return !!m && typeof m.companyId === "string" && typeof m.ledger === "string" && typeof m.calls === "string";
}

/** The statements that copy these messages' rows: one per chunk of rows, the messages' JSON joined as it came. */
export function feedStatements(db: D1Database, messages: FeedMessage[]): D1PreparedStatement[] {
  return [
    ...chunks(messages.map((m) => m.ledger)).map((json) => db.prepare(LEDGER_SQL).bind(json)),
    ...chunks(messages.map((m) => m.calls)).map((json) => db.prepare(CALLS_SQL).bind(json)),
  ];
}

/** JSON arrays joined into arrays of at most CHUNK_CHARS characters (a message's array is never split). */
function chunks(arrays: string[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let size = 0;
  for (const array of arrays) {
    const inner = array.slice(1, -1);
    if (!inner) continue;
    if (part.length && size + inner.length > CHUNK_CHARS) {
      out.push(`[${part.join(",")}]`);
      part = [];
      size = 0;
    }
    part.push(inner);
    size += inner.length + 1;
  }
  if (part.length) out.push(`[${part.join(",")}]`);
  return out;
}

/** Rows deleted per statement and per message when a wallet's archived log rows leave D1. */
const PRUNE_ROWS = 5_000;
const PRUNE_ROUNDS = 20;

/**
 * A wallet archived its request-log rows older than `before` to R2 (its
 * retention): D1's copies of them go, a bounded slice at a time. True when
 * none are left; else the message comes back later for the rest.
 */
async function pruneCalls(db: D1Database, companyId: string, before: number): Promise<boolean> {
  for (let round = 0; round < PRUNE_ROUNDS; round++) {
    const { meta } = await db
      .prepare("DELETE FROM request_logs WHERE rowid IN (SELECT rowid FROM request_logs WHERE company_id = ? AND created_at < ? LIMIT ?)")
      .bind(companyId, before, PRUNE_ROWS)
      .run();
    if (meta.changes < PRUNE_ROWS) return true;
  }
  return false;
}

/** The LEDGER_FEED consumer. `db` is the database (a parameter so tests can make it fail). */
export async function consumeLedgerFeed(batch: MessageBatch<unknown>, db: D1Database): Promise<void> {
  const good: FeedMessage[] = [];
  for (const message of batch.messages) {
    if (!isFeedMessage(message.body)) {
      console.error("ledger feed: dropping a malformed message", message.id);
      message.ack();
      continue;
    }
    const { companyId, pruneCallsBefore } = message.body;
    if (pruneCallsBefore === undefined) {
      good.push(message.body);
      continue;
    }
    try {
      if (await pruneCalls(db, companyId, pruneCallsBefore)) message.ack();
      else message.retry({ delaySeconds: 60 });
    } catch (error) {
      console.warn("ledger feed: pruning archived log rows failed, retrying:", String(error));
      message.retry({ delaySeconds: 300 });
    }
  }
  if (good.length === 0) return;
  try {
    await db.batch(feedStatements(db, good));
    batch.ackAll();
  } catch (error) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    const delaySeconds = Math.min(RETRY_BASE_S * 2 ** (attempts - 1), RETRY_MAX_S);
    console.warn(`ledger feed: D1 refused ${good.length} messages, retrying in ${delaySeconds} s:`, String(error));
    batch.retryAll({ delaySeconds });
  }
}

/**
 * The dead-letter queue's consumer: messages the feed gave up on (D1 was down
 * through every retry) go back on the feed an hour later. They are never
 * dropped: D1 must end equal to the wallets.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, feed: Queue<FeedMessage>): Promise<void> {
  const messages = batch.messages.filter((m) => isFeedMessage(m.body));
  if (messages.length) await feed.sendBatch(messages.map((m) => ({ body: m.body as FeedMessage, contentType: "json", delaySeconds: 3600 })));
  batch.ackAll();
}
