import Stripe from "stripe";

/**
 * Every event the server emits is queued here as a webhook delivery. Tests in
 * workerd (no inbound port) pull them from `GET /_local/deliveries`; when a
 * webhook URL is configured (the local demo) each one is also POSTed there,
 * in emission order, retried a few times like Stripe retries.
 */
export interface Delivery {
  id: string;
  type: string;
  /** The exact raw JSON body Stripe would POST. */
  payload: string;
  platformKey: string;
}

export interface SignedDelivery {
  id: string;
  type: string;
  payload: string;
  /** The `Stripe-Signature` header, signed now so it is never stale on arrival. */
  signature: string;
}

export interface DeliveryFilter {
  platformKey?: string;
  /** Keep deliveries whose payload mentions this id (a customer, a subscription, ...). */
  mentions?: string;
  types?: string[];
}

// Nobody drains the queue in the demo; keep it from growing without bound.
const maxQueued = 2_000;
const retryDelaysMs = [250, 1_000, 3_000];

export class Outbox {
  #queue: Delivery[] = [];
  #sending: Promise<void> = Promise.resolve();

  constructor(
    readonly secret: string,
    readonly webhookUrl?: string,
    readonly log: (line: string) => void = () => {},
  ) {}

  push(delivery: Delivery): void {
    this.#queue.push(delivery);
    if (this.#queue.length > maxQueued) this.#queue.shift();
    const url = this.webhookUrl;
    if (url) this.#sending = this.#sending.then(() => this.#post(url, delivery));
  }

  async list(filter: DeliveryFilter): Promise<SignedDelivery[]> {
    return Promise.all(this.#queue.filter((delivery) => matches(delivery, filter)).map((delivery) => this.sign(delivery)));
  }

  async drain(filter: DeliveryFilter): Promise<SignedDelivery[]> {
    const taken = this.#queue.filter((delivery) => matches(delivery, filter));
    this.#queue = this.#queue.filter((delivery) => !taken.includes(delivery));
    return Promise.all(taken.map((delivery) => this.sign(delivery)));
  }

  clear(platformKey?: string): void {
    this.#queue = platformKey ? this.#queue.filter((delivery) => delivery.platformKey !== platformKey) : [];
  }

  async sign(delivery: Delivery): Promise<SignedDelivery> {
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: delivery.payload, secret: this.secret });
    return { id: delivery.id, type: delivery.type, payload: delivery.payload, signature };
  }

  async #post(url: string, delivery: Delivery): Promise<void> {
    for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
      try {
        // Re-signed on every attempt, as Stripe does, so retries carry a fresh timestamp.
        const { signature } = await this.sign(delivery);
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signature },
          body: delivery.payload,
        });
        await response.arrayBuffer();
        if (response.ok) return;
        this.log(`webhook ${delivery.type} ${delivery.id} → ${response.status}`);
      } catch (error) {
        this.log(`webhook ${delivery.type} ${delivery.id} failed: ${(error as Error).message}`);
      }
      const delay = retryDelaysMs[attempt];
      if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.log(`webhook ${delivery.type} ${delivery.id} gave up after ${retryDelaysMs.length + 1} attempts`);
  }
}

function matches(delivery: Delivery, filter: DeliveryFilter): boolean {
  if (filter.platformKey && delivery.platformKey !== filter.platformKey) return false;
  if (filter.types && filter.types.length > 0 && !filter.types.includes(delivery.type)) return false;
  if (filter.mentions && !delivery.payload.includes(`"${filter.mentions}"`)) return false;
  return true;
}
