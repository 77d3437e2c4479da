/**
 * The kinds of a ledger entry (GLOSSARY.md, Money). The wallet owns them;
 * D1's copy (src/db/schema/ledger.ts) and the admin read them from here.
 * Pure: no imports, so the admin's bundle can take it.
 */
export const ledgerKinds = [
  "top_up",
  "plan",
  "grant",
  "allocation",
  "refund",
  "adjustment",
  "charge",
  "expiry",
] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

/**
 * The deposit kinds' former names (before GLOSSARY.md): what entries written
 * earlier still carry until a reader renames them (a wallet's storage when it
 * starts, D1 by migration 0012, the feed's messages and R2's archives as read).
 */
export const formerKinds = { purchase: "top_up", subscription: "plan" } as const satisfies Record<string, LedgerKind>;

/** A stored kind under its current name. */
export function currentKind(kind: string): string {
  return Object.hasOwn(formerKinds, kind) ? formerKinds[kind as keyof typeof formerKinds] : kind;
}

