import { apiError, cardDeclined, type StripeFailure } from "./errors.ts";

export type FaultKind = "api_error" | "card_declined";

interface Fault {
  /** Only requests made with this key fail; every key when absent. */
  platformKey?: string;
  method?: string;
  /** An exact path, or a prefix ending in `*` (`/v1/transfers*`). */
  path: string;
  remaining: number;
  kind: FaultKind;
}

/**
 * Injected failures: "the next N requests to this path fail". Each HTTP
 * attempt uses one up, including the SDK's own retries (it retries a 500
 * twice by default), and an injected failure is never saved as an idempotent
 * result, so a retry after the outage gets through.
 */
export class Faults {
  #faults: Fault[] = [];

  add(fault: Fault): void {
    this.#faults.push(fault);
  }

  take(platformKey: string, method: string, path: string): StripeFailure | undefined {
    const fault = this.#faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (!candidate.platformKey || candidate.platformKey === platformKey) &&
        (!candidate.method || candidate.method === method) &&
        (candidate.path.endsWith("*") ? path.startsWith(candidate.path.slice(0, -1)) : candidate.path === path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.#faults = this.#faults.filter((candidate) => candidate.remaining > 0);
    if (fault.kind === "card_declined") return cardDeclined({}, false);
    return apiError("Injected failure (stripe-local /_local/faults).");
  }

  clear(platformKey?: string): void {
    this.#faults = platformKey ? this.#faults.filter((fault) => fault.platformKey !== platformKey) : [];
  }
}
