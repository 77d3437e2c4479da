/**
 * The company's keys as the wallet sees them: which are revoked, what each
 * spent (per UTC day, kept for good), and the spending caps a company admin
 * set on some of them. A metered call visits the wallet anyway, so this is
 * where a revocation takes effect on the very next call and where a cap is
 * enforced in the same transaction as the charge or hold: no concurrency can
 * take a key past its cap.
 *
 * A capped key's room is `cap - spent - reserved`, where `reserved` is what
 * its open holds keep (an asset running); the three caps (per day, per
 * month, in total) each leave room, and the least of them is what remains.
 * Days and months are UTC, by the wallet's clock.
 */
import type { Credits } from "../money";

export const keysDdl = [
  `CREATE TABLE IF NOT EXISTS revoked_keys (id TEXT PRIMARY KEY, revoked_at INTEGER NOT NULL) WITHOUT ROWID`,
  // Products whose seller cut this company off: no key of the company may call them again.
  `CREATE TABLE IF NOT EXISTS cut_off (product_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS key_days (
    key_id TEXT NOT NULL,
    day TEXT NOT NULL,
    spent INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    PRIMARY KEY (key_id, day)
  ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS key_caps (
    key_id TEXT PRIMARY KEY,
    per_day INTEGER,
    per_month INTEGER,
    total INTEGER,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID`,
];

/** Micro-credits a key may spend; null: no cap of that kind. */
export interface Caps {
  perDay: Credits | null;
  perMonth: Credits | null;
  total: Credits | null;
}

export interface KeyUsage {
  keyId: string;
  caps: Caps | null;
  /** Micro-credits billed today, this month and ever (UTC). */
  spent: { day: Credits; month: Credits; total: Credits };
  /** Billed calls today, this month and ever. */
  calls: { day: number; month: number; total: number };
  /** Room left under each cap (null where there is none), holds counted. */
  remaining: { day: Credits | null; month: Credits | null; total: Credits | null } | null;
}

type Capped = Caps & { day: string; month: string; spentDay: number; spentMonth: number; spentTotal: number; reserved: number };

export function utcDay(now: number): string {
  if (now < lastDay.from || now >= lastDay.from + DAY_MS) {
    const from = now - (((now % DAY_MS) + DAY_MS) % DAY_MS);
    lastDay = { from, day: new Date(from).toISOString().slice(0, 10) };
  }
  return lastDay.day;
}

const DAY_MS = 86_400_000;
/** The day of the last call, so a busy wallet formats a date once a day rather than per call. */
let lastDay = { from: -Infinity, day: "" };

export class Keys {
  readonly #sql: SqlStorage;
  readonly #revoked = new Set<string>();
  readonly #cutOff = new Set<string>();
  /** Capped keys with what they spent, in memory so the hot path reads no sums. */
  readonly #capped = new Map<string, Capped>();
  /** Open holds of capped keys: operation id -> key id and credits reserved. */
  readonly #holds = new Map<string, { keyId: string; credits: number }>();
  /** Capped keys as they were before this transaction changed them (undefined: not capped then). */
  #journal = new Map<string, Capped | undefined>();

  constructor(sql: SqlStorage, now: number) {
    this.#sql = sql;
    for (const row of sql.exec<{ id: string }>("SELECT id FROM revoked_keys")) this.#revoked.add(row.id);
    for (const row of sql.exec<{ product_id: string }>("SELECT product_id FROM cut_off")) this.#cutOff.add(row.product_id);
    for (const row of sql.exec<{ key_id: string; per_day: number | null; per_month: number | null; total: number | null }>(
      "SELECT key_id, per_day, per_month, total FROM key_caps",
    )) {
      this.#load(row.key_id, { perDay: row.per_day as Credits | null, perMonth: row.per_month as Credits | null, total: row.total as Credits | null }, now);
    }
    for (const row of sql.exec<{ id: string; key_id: string; credits: number }>(
      "SELECT id, key_id, credits FROM holds WHERE status = 'held' AND key_id IS NOT NULL",
    )) {
      const capped = this.#capped.get(row.key_id);
      if (!capped) continue;
      capped.reserved += row.credits;
      this.#holds.set(row.id, { keyId: row.key_id, credits: row.credits });
    }
  }

  isRevoked(keyId: string): boolean {
    return this.#revoked.has(keyId);
  }

  /** Whether the product's seller cut the company off it. */
  isCutOff(productId: string): boolean {
    return this.#cutOff.has(productId);
  }

  /** Cuts the company off `productId` for good, whatever key calls it (an agent's company key included). */
  cutOff(productId: string, now: number): void {
    if (this.#cutOff.has(productId)) return;
    this.#sql.exec("INSERT INTO cut_off (product_id, at) VALUES (?, ?) ON CONFLICT(product_id) DO NOTHING", productId, now);
    this.#cutOff.add(productId);
  }

  /** Revokes `keyId` for good; revoking it again changes nothing. */
  revoke(keyId: string, now: number): void {
    if (this.#revoked.has(keyId)) return;
    this.#sql.exec("INSERT INTO revoked_keys (id, revoked_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING", keyId, now);
    this.#revoked.add(keyId);
  }

  /** Sets (or, with every cap null, lifts) a key's caps. What it spent so far counts. */
  setCaps(keyId: string, caps: Caps, now: number): void {
    this.#touch(keyId);
    if (caps.perDay === null && caps.perMonth === null && caps.total === null) {
      this.#sql.exec("DELETE FROM key_caps WHERE key_id = ?", keyId);
      this.#capped.delete(keyId);
      return;
    }
    this.#sql.exec(
      `INSERT INTO key_caps (key_id, per_day, per_month, total, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(key_id) DO UPDATE SET per_day = excluded.per_day, per_month = excluded.per_month, total = excluded.total, updated_at = excluded.updated_at`,
      keyId,
      caps.perDay,
      caps.perMonth,
      caps.total,
      now,
    );
    const reserved = this.#capped.get(keyId)?.reserved ?? 0;
    this.#load(keyId, caps, now).reserved = reserved;
  }

  /** The least room the key's caps leave now, or null when it has none. */
  room(keyId: string, now: number): number | null {
    const capped = this.#capped.has(keyId) ? this.#touch(keyId) : undefined;
    if (!capped) return null;
    this.#roll(capped, now);
    const left = [
      capped.perDay === null ? Infinity : capped.perDay - capped.spentDay,
      capped.perMonth === null ? Infinity : capped.perMonth - capped.spentMonth,
      capped.total === null ? Infinity : capped.total - capped.spentTotal,
    ];
    return Math.max(0, Math.min(...left) - capped.reserved);
  }

  /** Counts a charge against the key: its day's usage row, and its caps' spending. */
  spend(keyId: string, credits: number, now: number): void {
    const day = utcDay(now);
    this.#sql.exec(
      "INSERT INTO key_days (key_id, day, spent, calls) VALUES (?, ?, ?, 1) ON CONFLICT(key_id, day) DO UPDATE SET spent = spent + excluded.spent, calls = calls + 1",
      keyId,
      day,
      credits,
    );
    const capped = this.#capped.has(keyId) ? this.#touch(keyId) : undefined;
    if (!capped) return;
    this.#roll(capped, now);
    capped.spentDay += credits;
    capped.spentMonth += credits;
    capped.spentTotal += credits;
  }

  /** A hold of a capped key keeps its credits out of the key's room until it resolves. */
  reserve(operationId: string, keyId: string, credits: number): void {
    const capped = this.#capped.has(keyId) ? this.#touch(keyId) : undefined;
    if (!capped) return;
    capped.reserved += credits;
    this.#holds.set(operationId, { keyId, credits });
  }

  /** The hold resolved (committed, released or lapsed): its credits leave the key's reservation. */
  unreserve(operationId: string): void {
    const held = this.#holds.get(operationId);
    if (!held) return;
    this.#holds.delete(operationId);
    const capped = this.#capped.has(held.keyId) ? this.#touch(held.keyId) : undefined;
    if (capped) capped.reserved -= held.credits;
  }

  /** What the keys spent, their caps and the room left. */
  usage(keyIds: string[], now: number): KeyUsage[] {
    return keyIds.map((keyId) => {
      const { day, month, total } = this.#spent(keyId, now);
      const capped = this.#capped.get(keyId);
      const caps = capped ? { perDay: capped.perDay, perMonth: capped.perMonth, total: capped.total } : null;
      const room = (cap: Credits | null, spent: number) => (cap === null ? null : (Math.max(0, cap - spent - capped!.reserved) as Credits));
      return {
        keyId,
        caps,
        spent: { day: day.spent as Credits, month: month.spent as Credits, total: total.spent as Credits },
        calls: { day: day.calls, month: month.calls, total: total.calls },
        remaining: capped ? { day: room(capped.perDay, day.spent), month: room(capped.perMonth, month.spent), total: room(capped.total, total.spent) } : null,
      };
    });
  }

  /** Starts a transaction: what memory holds from here on can be put back by `restore`. */
  save(): void {
    this.#journal.clear();
  }

  /** The transaction rolled back: capped keys are as they were at `save`. */
  restore(): void {
    for (const [keyId, before] of this.#journal) {
      if (before) this.#capped.set(keyId, before);
      else this.#capped.delete(keyId);
    }
    this.#journal.clear();
  }

  /** The capped key, noted in the journal before it changes. */
  #touch(keyId: string): Capped | undefined {
    const capped = this.#capped.get(keyId);
    if (!this.#journal.has(keyId)) this.#journal.set(keyId, capped ? { ...capped } : undefined);
    return capped;
  }

  /** Room left under each cap after holds, from memory; null for a key with no caps. */
  remaining(keyId: string, now: number): KeyUsage["remaining"] {
    const capped = this.#capped.get(keyId);
    if (!capped) return null;
    this.#roll(this.#touch(keyId)!, now);
    const room = (cap: Credits | null, spent: number) => (cap === null ? null : (Math.max(0, cap - spent - capped.reserved) as Credits));
    return { day: room(capped.perDay, capped.spentDay), month: room(capped.perMonth, capped.spentMonth), total: room(capped.total, capped.spentTotal) };
  }

  #load(keyId: string, caps: Caps, now: number): Capped {
    const { day, month, total } = this.#spent(keyId, now);
    const capped: Capped = { ...caps, day: utcDay(now), month: utcDay(now).slice(0, 7), spentDay: day.spent, spentMonth: month.spent, spentTotal: total.spent, reserved: 0 };
    this.#capped.set(keyId, capped);
    return capped;
  }

  /** A new day (or month) starts the day's (or month's) spending from zero, once. */
  #roll(capped: Capped, now: number): void {
    const day = utcDay(now);
    if (day === capped.day) return;
    capped.day = day;
    capped.spentDay = 0;
    const month = day.slice(0, 7);
    if (month !== capped.month) {
      capped.month = month;
      capped.spentMonth = 0;
    }
  }

  #spent(keyId: string, now: number) {
    const day = utcDay(now);
    const sum = (where: string, ...args: string[]) =>
      this.#sql
        .exec<{ spent: number; calls: number }>(`SELECT coalesce(sum(spent), 0) AS spent, coalesce(sum(calls), 0) AS calls FROM key_days WHERE key_id = ?${where}`, keyId, ...args)
        .one();
    return { day: sum(" AND day = ?", day), month: sum(" AND day >= ? AND day <= ?", `${day.slice(0, 7)}-01`, `${day.slice(0, 7)}-31`), total: sum("") };
  }
}
