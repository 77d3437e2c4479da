import { DurableObject } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { createDb } from "../db";
import { companies, productPrices, products } from "../db/schema";
import { refusing, TesseraError, type Refused } from "../errors";
import type { Usd } from "../money";
import { indexProduct } from "./search";
import type { Product } from "./service";
import { isListed, termsOf, type Terms } from "./terms";

/** What may change on a product after it is made (not its type, seller or data source). */
export type ProductChange = Partial<
  Pick<Product, "name" | "description" | "tags" | "category" | "documentation" | "topQuestions" | "spec" | "sellInMarketplace" | "preview">
>;

type Saved = {
  /** The product; its `version` grows with every change. */
  product: Product;
  sellerCanSell: boolean;
  /** The last version D1's copy has. */
  synced: number;
  /** Prices set since the last sync, for D1's price history. */
  prices: { priceUsd: number; effectiveAt: number }[];
};

const RETRY_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

/**
 * A product's own object: the single writer of its row and its terms of sale
 * (price in force, listed or not, the seller's standing with Stripe). One per
 * product, addressed by product id (`env.PRODUCT.getByName(id)`).
 *
 * Every metered call asks it for the terms (`terms`), so a change applies to
 * the very next call after the seller's request returns; no cache anywhere
 * holds a price, a listing or a standing. D1's `products` row is a copy for
 * search and reading, written by this object after each change (with the
 * version, so two writes never land out of order) and retried by alarm while
 * D1 is away. A product D1 has but the object doesn't (made before objects
 * held products) is read from D1 once.
 */
export class ProductState extends DurableObject<Env> {
  #saved: Saved | null = null;
  #retries = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#saved = ctx.storage.kv.get<Saved>("product") ?? null;
  }

  /** The terms a call needs now, with the spec when `knownVersion` is not the current one. NOT_FOUND for no such product. */
  async terms(knownVersion?: number): Promise<Terms | Refused> {
    const saved = await this.#load();
    return refusing(() => {
      if (!saved) throw notFound(this.ctx.id.name);
      return termsOf(saved.product, saved.sellerCanSell, knownVersion);
    });
  }

  /** The whole product, its version and whether it is listed now. */
  async read(): Promise<{ product: Product; sellerCanSell: boolean; listed: boolean } | Refused> {
    const saved = await this.#load();
    return refusing(() => {
      if (!saved) throw notFound(this.ctx.id.name);
      return { product: saved.product, sellerCanSell: saved.sellerCanSell, listed: isListed(saved.product, saved.sellerCanSell) };
    });
  }

  /** Makes the product (checked by the caller). A repeat of the same product returns it. */
  async create(product: Product, sellerCanSell: boolean): Promise<Product | Refused> {
    const done = refusing(() => {
      if (this.#saved) {
        if (this.#saved.product.createdAt === product.createdAt) return this.#saved.product;
        throw new TesseraError("CONFLICT", `Product ${product.id} already exists.`);
      }
      if (product.id !== this.ctx.id.name) throw new TesseraError("BAD_REQUEST", "A product's object is named by its id.");
      if (product.sellInMarketplace && !sellerCanSell) throw notVerified();
      const first = { ...product, version: 1 };
      this.#write({ product: first, sellerCanSell, synced: 0, prices: [{ priceUsd: product.priceUsd, effectiveAt: product.createdAt }] });
      return first;
    });
    await this.#sync();
    return done;
  }

  /** Applies a change the caller has checked (a new spec was checked against its data source). */
  async update(change: ProductChange): Promise<Product | Refused> {
    const saved = await this.#load();
    const done = refusing(() => {
      if (!saved) throw notFound(this.ctx.id.name);
      if (change.sellInMarketplace && !saved.sellerCanSell) throw notVerified();
      const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
      const product: Product = { ...saved.product, ...defined, version: saved.product.version + 1, updatedAt: Date.now() };
      this.#write({ ...saved, product });
      return product;
    });
    await this.#sync();
    return done;
  }

  /** A new price for the next execution or request; the old one stays in the history. */
  async setPrice(priceUsd: Usd): Promise<Product | Refused> {
    const saved = await this.#load();
    const done = refusing(() => {
      if (!saved) throw notFound(this.ctx.id.name);
      const now = Date.now();
      const product: Product = { ...saved.product, priceUsd, version: saved.product.version + 1, updatedAt: now };
      this.#write({ ...saved, product, prices: [...saved.prices, { priceUsd, effectiveAt: now }] });
      return product;
    });
    await this.#sync();
    return done;
  }

  /** Follows the seller's standing with Stripe (src/connect): a disconnect delists on the next call. */
  async setSellerCanSell(canSell: boolean): Promise<{ listed: boolean } | Refused> {
    const saved = await this.#load();
    const done = refusing(() => {
      if (!saved) throw notFound(this.ctx.id.name);
      if (saved.sellerCanSell !== canSell) {
        this.#write({ ...saved, sellerCanSell: canSell, product: { ...saved.product, version: saved.product.version + 1 } });
      }
      return { listed: isListed(saved.product, canSell) };
    });
    await this.#sync();
    return done;
  }

  override async alarm(): Promise<void> {
    await this.#sync();
  }

  #write(saved: Saved): void {
    this.ctx.storage.kv.put("product", saved);
    this.#saved = saved;
  }

  /** The saved product, read from D1 once if this object predates it. */
  async #load(): Promise<Saved | null> {
    if (this.#saved) return this.#saved;
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.#saved || !this.ctx.id.name) return;
      const db = createDb(this.env.DB);
      const row = await db
        .select({ product: products, sellerCanSell: companies.canSell })
        .from(products)
        .innerJoin(companies, sql`${companies.id} = ${products.sellerCompanyId}`)
        .where(sql`${products.id} = ${this.ctx.id.name}`)
        .get();
      if (!row) return;
      const product = { ...row.product, version: Math.max(row.product.version, 1) };
      this.#write({ product, sellerCanSell: row.sellerCanSell, synced: product.version, prices: [] });
    });
    return this.#saved;
  }

  /** Writes D1's copy up to the current version; on failure the alarm tries again. */
  async #sync(): Promise<void> {
    const saved = this.#saved;
    if (!saved || saved.synced >= saved.product.version) return;
    const db = createDb(this.env.DB);
    const { id: _id, ...columns } = saved.product;
    try {
      await db.batch([
        db
          .insert(products)
          .values(saved.product)
          .onConflictDoUpdate({ target: products.id, set: columns, setWhere: sql`excluded.version > ${products.version}` }),
        ...saved.prices.map((p) =>
          db.insert(productPrices).values({ productId: saved.product.id, priceUsd: p.priceUsd, effectiveAt: p.effectiveAt }).onConflictDoNothing(),
        ),
        ...indexProduct(db, saved.product),
      ]);
      // Only what was sent is synced: a change made meanwhile syncs next.
      const now = this.#saved!;
      this.#write({ ...now, synced: Math.max(now.synced, saved.product.version), prices: now.prices.slice(saved.prices.length) });
      this.#retries = 0;
    } catch (error) {
      const wait = RETRY_MS[Math.min(this.#retries++, RETRY_MS.length - 1)]!;
      console.warn(`product ${saved.product.id}: D1 copy failed, retrying in ${wait} ms:`, String(error));
      await this.ctx.storage.setAlarm(Date.now() + wait);
    }
  }
}

function notFound(id: string | undefined): TesseraError {
  return new TesseraError("NOT_FOUND", `No product ${id ?? ""}.`.replace(" .", "."));
}

function notVerified(): TesseraError {
  return new TesseraError("FORBIDDEN", "Connect and verify Stripe before selling in the marketplace.");
}
