import { now } from "./clock.ts";
import { newId } from "./ids.ts";
import type { Outbox } from "./outbox.ts";
import type {
  AccountWire,
  CheckoutSessionWire,
  CustomerWire,
  EventWire,
  InvoiceLineItemWire,
  InvoicePaymentWire,
  InvoiceWire,
  LineItemWire,
  PaymentIntentWire,
  PaymentMethodWire,
  PriceWire,
  ProductWire,
  SetupIntentWire,
  StoredObject,
  SubscriptionWire,
  TransferWire,
} from "./types.ts";

/** Which API request caused an event; `null`s for automatic ones (renewals, controls). */
export interface RequestRef {
  id: string | null;
  idempotency_key: string | null;
}

export interface OnboardingLink {
  account: string;
  returnUrl: string;
  refreshUrl: string;
  expiresAt: number;
  used: boolean;
}

/** What a Checkout Session was told to put on the objects it creates. */
export interface CheckoutOptions {
  paymentIntentMetadata: Record<string, string>;
  paymentIntentDescription: string | null;
  setupFutureUsage: "off_session" | "on_session" | null;
  subscriptionMetadata: Record<string, string>;
  setupIntentMetadata: Record<string, string>;
}

export interface SavedResponse {
  fingerprint: string;
  status: number;
  body: string;
}

const maxSavedResponses = 20_000;

/**
 * One Stripe platform account, identified by its secret key. Like real Stripe,
 * objects made with one key are invisible to another, so test files that use
 * their own key cannot disturb each other (balance, declines, deliveries).
 */
export class Platform {
  readonly customers = new Map<string, CustomerWire>();
  readonly paymentMethods = new Map<string, PaymentMethodWire>();
  readonly paymentIntents = new Map<string, PaymentIntentWire>();
  readonly setupIntents = new Map<string, SetupIntentWire>();
  readonly products = new Map<string, ProductWire>();
  readonly prices = new Map<string, PriceWire>();
  readonly checkoutSessions = new Map<string, CheckoutSessionWire>();
  readonly subscriptions = new Map<string, SubscriptionWire>();
  readonly invoices = new Map<string, InvoiceWire>();
  readonly accounts = new Map<string, AccountWire>();
  readonly transfers = new Map<string, TransferWire>();
  /** In emission order. */
  readonly events = new Map<string, EventWire>();

  // State Stripe keeps but does not put on the objects themselves.
  readonly checkoutLineItems = new Map<string, LineItemWire[]>();
  readonly checkoutOptions = new Map<string, CheckoutOptions>();
  readonly invoicePayments = new Map<string, InvoicePaymentWire[]>();
  readonly pendingProrations = new Map<string, InvoiceLineItemWire[]>();
  readonly onboardingLinks = new Map<string, OnboardingLink>();
  readonly decliningCustomers = new Set<string>();
  /** By Idempotency-Key. The SDK keys every POST, so the oldest are dropped past a bound. */
  readonly idempotency = new Map<string, SavedResponse>();
  /** Available USD balance in cents; card payments add to it, transfers take from it. */
  balance = 0;

  constructor(
    readonly key: string,
    readonly world: World,
  ) {}

  remember(idempotencyKey: string, saved: SavedResponse): void {
    this.idempotency.set(idempotencyKey, saved);
    if (this.idempotency.size > maxSavedResponses) this.idempotency.delete(this.idempotency.keys().next().value!);
  }

  get baseUrl(): string {
    return this.world.baseUrl;
  }

  /** Any stored object by id, for expansion and for controls. */
  find(id: string): StoredObject | undefined {
    for (const collection of this.#collections()) {
      const found = collection.get(id);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Records an event and queues its webhook delivery. `object` is copied as it
   * is now; `previous` holds the old values of the fields that changed.
   */
  emit(type: string, object: StoredObject, options: { previous?: Record<string, unknown>; request?: RequestRef; account?: string } = {}): EventWire {
    const event: EventWire = {
      id: newId("evt_"),
      object: "event",
      ...(options.account ? { account: options.account } : {}),
      api_version: this.world.apiVersion,
      created: now(),
      data: {
        object: structuredClone(object),
        ...(options.previous ? { previous_attributes: structuredClone(options.previous) } : {}),
      },
      livemode: false,
      pending_webhooks: this.world.outbox.webhookUrl ? 1 : 0,
      request: options.request ?? { id: null, idempotency_key: null },
      type,
    };
    this.events.set(event.id, event);
    this.world.outbox.push({ id: event.id, type, payload: JSON.stringify(event, null, 2), platformKey: this.key });
    return event;
  }

  #collections(): Map<string, StoredObject>[] {
    return [
      this.customers,
      this.paymentMethods,
      this.paymentIntents,
      this.setupIntents,
      this.products,
      this.prices,
      this.checkoutSessions,
      this.subscriptions,
      this.invoices,
      this.accounts,
      this.transfers,
      this.events,
    ];
  }
}

/** The old values of the top-level fields that differ, for `previous_attributes`. */
export function changedFields(before: object, after: object): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  const old = before as Record<string, unknown>;
  const next = after as Record<string, unknown>;
  for (const key of Object.keys(next)) {
    if (JSON.stringify(old[key]) !== JSON.stringify(next[key])) previous[key] = old[key] ?? null;
  }
  return previous;
}

/** Everything the server holds: one platform per secret key, one outbox. */
export class World {
  readonly platforms = new Map<string, Platform>();

  constructor(
    readonly baseUrl: string,
    readonly outbox: Outbox,
    readonly apiVersion: string,
  ) {}

  platform(key: string): Platform {
    let platform = this.platforms.get(key);
    if (!platform) {
      platform = new Platform(key, this);
      this.platforms.set(key, platform);
    }
    return platform;
  }

  /** The platform that owns an object, for pages and controls that only know an id. */
  owner(id: string): Platform | undefined {
    for (const platform of this.platforms.values()) if (platform.find(id)) return platform;
    return undefined;
  }

  /** Every platform's objects as JSON, for `stateFile` (the demo keeps its Stripe across restarts). */
  snapshot(): string {
    const platforms = [...this.platforms.values()].map((platform) => {
      const fields: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(platform)) {
        if (value instanceof Map) fields[name] = { map: [...value] };
        else if (value instanceof Set) fields[name] = { set: [...value] };
        else if (typeof value === "number") fields[name] = value;
      }
      return { key: platform.key, fields };
    });
    return JSON.stringify({ platforms });
  }

  restore(json: string): void {
    const { platforms } = JSON.parse(json) as { platforms: { key: string; fields: Record<string, unknown> }[] };
    for (const { key, fields } of platforms) {
      const platform = this.platform(key) as unknown as Record<string, unknown>;
      for (const [name, value] of Object.entries(fields)) {
        const target = platform[name];
        if (target instanceof Map) for (const [k, v] of (value as { map: [unknown, unknown][] }).map) target.set(k, v);
        else if (target instanceof Set) for (const v of (value as { set: unknown[] }).set) target.add(v);
        else if (typeof target === "number") platform[name] = value;
      }
    }
  }

  reset(key?: string): void {
    if (key) this.platforms.delete(key);
    else this.platforms.clear();
    this.outbox.clear(key);
  }
}
