/**
 * Which of the company's keys are revoked. A metered call visits the wallet
 * anyway, so the wallet is where a revocation (by the buyer, by the seller,
 * or because the member who made a key left) takes effect on the very next
 * call, with no read of the shared catalog. The set is small and kept in
 * memory; a revocation is final.
 */
export const keysDdl = [`CREATE TABLE IF NOT EXISTS revoked_keys (id TEXT PRIMARY KEY, revoked_at INTEGER NOT NULL) WITHOUT ROWID`];

export class Keys {
  readonly #sql: SqlStorage;
  readonly #revoked = new Set<string>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const row of sql.exec<{ id: string }>("SELECT id FROM revoked_keys")) this.#revoked.add(row.id);
  }

  isRevoked(keyId: string): boolean {
    return this.#revoked.has(keyId);
  }

  /** Revokes `keyId` for good; revoking it again changes nothing. */
  revoke(keyId: string, now: number): void {
    if (this.#revoked.has(keyId)) return;
    this.#sql.exec("INSERT INTO revoked_keys (id, revoked_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING", keyId, now);
    this.#revoked.add(keyId);
  }
}
