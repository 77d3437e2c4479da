/**
 * Every per-isolate cache of the Worker, with its rule, in one place. An
 * isolate may serve thousands of requests, so what a warm metered call needs
 * and that never changes is kept here instead of being read from D1 again.
 *
 * Only facts that cannot change once made are cached, so no cache can be
 * stale: what must apply to the very next call (a price, a listing, a
 * seller's standing, a key's revocation) is never cached; it lives in the
 * Durable Object the call visits anyway (the product's object, the buyer's
 * wallet). Each cache is bounded: past its size the oldest entries go.
 *
 * | cache | key | why it never goes stale |
 * | --- | --- | --- |
 * | `keyOwners` | SHA-256 of a key | a key's company, scope and endpoint are fixed when it is made; revoking it is the wallet's |
 * | `specs` | product id and version | a product's version grows with every change, so a version's spec is fixed |
 * | `rates` (src/rates.ts) | the whole schedule | rates are rows with a start time, added ahead of it (see there) |
 * | `sources` (src/products/context.ts) | data source id | a data source never changes once made (a new upload is a new source) |
 * | `endpointKeysMade` | company and endpoint | once a company's key for an endpoint was made, it was; the seller's cut-off is the wallet's (MCP pages) |
 */
import type { KeyScope } from "./db/schema";

/** A Map that keeps at most `max` entries, dropping the oldest first. */
export class Bounded<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  constructor(max: number) {
    this.#max = max;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): V {
    if (this.#map.size >= this.#max && !this.#map.has(key)) this.#map.delete(this.#map.keys().next().value as K);
    this.#map.set(key, value);
    return value;
  }

  delete(key: K): void {
    this.#map.delete(key);
  }
}

export interface KeyOwner {
  keyId: string;
  companyId: string;
  /** Company keys: their scope. Endpoint keys: `endpoint`. */
  kind: "company" | "endpoint";
  scope: KeyScope | null;
  /** Endpoint keys: the one endpoint they call. */
  endpointId: string | null;
}

export const keyOwners = new Bounded<string, KeyOwner>(20_000);

export const specs = new Bounded<string, unknown>(5_000);

/** `company:endpoint` pairs whose endpoint key exists: an MCP page needs D1 only for the first. */
export const endpointKeysMade = new Bounded<string, true>(20_000);

export function specKey(productId: string, version: number): string {
  return `${productId}@${version}`;
}
