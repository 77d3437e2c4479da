import { env } from "cloudflare:workers";
import { createDataset, createOrigin } from "../../src/data";
import { buyer as fundedBuyer, seller as verifiedSeller, type Company } from "./companies";

type CreateInput = Parameters<Company["api"]["products"]["create"]["mutate"]>[0];
type Product = Awaited<ReturnType<Company["api"]["products"]["create"]["mutate"]>>;

/** A CSV of `rows` cities: id, city, region (EU/US alternating), population, active. */
export function citiesCsv(rows: number): string {
  const lines = ["id,city,region,population,active"];
  for (let i = 1; i <= rows; i++) lines.push(`${i},City ${i},${i % 2 ? "EU" : "US"},${i * 1000},${i % 3 === 0}`);
  return lines.join("\n");
}

/** The endpoint spec most tests sell over `citiesCsv`. */
export const citiesSpec = {
  columns: [{ column: "id" }, { column: "city" }, { column: "region" }, { column: "population" }],
  filters: [
    { param: "region", column: "region", op: "eq" },
    { param: "min_population", column: "population", op: "gte" },
  ],
  sort: { default: [{ column: "id", dir: "asc" }], allowed: ["population", "city"] },
} as const;

/** A hosted dataset of `csv` owned by `companyId`, made as an upload would. */
export async function dataset(companyId: string, csv: string, name = "Cities", filterable: string[] = []) {
  return createDataset({ database: env.DB, datasets: env.DATASET }, { companyId, name, format: "csv", body: new Response(csv).body!, filterable });
}

/** An HTTP origin at `path` on the test origin server (test/origin-server.ts). */
export async function origin(companyId: string, path: string, timeoutMs?: number) {
  const made = await createOrigin(
    { database: env.DB, secrets: env },
    { companyId, name: `Origin ${path}`, url: `${env.TEST_ORIGIN_URL}${path}`, timeoutMs },
    { allowInsecureOrigins: true },
  );
  return made.source;
}

/** Product input without its type; a missing data source is a new dataset of `rows` cities (1,000 by default). */
type ProductOptions = Partial<Omit<CreateInput, "type">> & { rows?: number };

async function create(owner: Company, type: CreateInput["type"], defaults: Pick<CreateInput, "name" | "spec" | "priceUsd">, opts: ProductOptions): Promise<Product> {
  const { rows, ...input } = opts;
  const dataSourceId = input.dataSourceId ?? (await dataset(owner.company.id, citiesCsv(rows ?? 1000), "Cities", ["region"])).id;
  return owner.api.products.create.mutate({ ...defaults, ...input, type, dataSourceId });
}

/**
 * An endpoint of `owner`'s through `products.create`: "City populations" over
 * the cities spec at $0.50 unless `opts` says otherwise. Nothing else is
 * filled in (description, category, listing) unless given.
 */
export function endpoint(owner: Company, opts: ProductOptions = {}): Promise<Product> {
  return create(owner, "endpoint", { name: "City populations", spec: citiesSpec, priceUsd: "0.50" }, opts);
}

/** An asset of `owner`'s: a $1 calculation summing population unless `opts` says otherwise. */
export function asset(owner: Company, opts: ProductOptions = {}): Promise<Product> {
  return create(owner, "asset", { name: "Total population", spec: { aggregate: { fn: "sum", column: "population" } }, priceUsd: "1" }, { assetKind: "calculation", ...opts });
}

/**
 * Two listed assets of `owner`'s over the cities of `dataSourceId`: "Total
 * population" (a calculation, filterable by region) and "Population by
 * region" (a bar chart), at `prices` in USD.
 */
export async function cityAssets(owner: Company, dataSourceId: string, prices: { total: string; chart: string }) {
  const common = { description: "Insights on cities.", category: "Demographics", dataSourceId, sellInMarketplace: true };
  const total = await asset(owner, {
    ...common,
    name: "Total population",
    spec: { filters: [{ param: "region", column: "region", op: "eq" }], aggregate: { fn: "sum", column: "population" } },
    priceUsd: prices.total,
  });
  const chart = await asset(owner, {
    ...common,
    assetKind: "visualization",
    name: "Population by region",
    spec: { aggregate: { fn: "sum", column: "population", groupBy: "region" }, chart: { type: "bar", title: "Population by region" } },
    priceUsd: prices.chart,
  });
  return { total, chart };
}

/** The buyer's API key for an endpoint (its secret). */
export async function keyFor(b: Company, product: { id: string }): Promise<string> {
  return (await b.api.marketplace.endpoints.key.mutate({ id: product.id })).secret!;
}

/** A listed endpoint over `rows` cities at `priceUsd` per request, and a buyer holding its key. */
export async function listedEndpoint(opts: { rows?: number; priceUsd?: string; buyerCredits?: number } = {}) {
  const s = await verifiedSeller();
  const source = await dataset(s.company.id, citiesCsv(opts.rows ?? 1000), "Cities", ["region"]);
  const product = await endpoint(s, {
    description: "Population of every city, by region.",
    category: "Demographics",
    tags: ["cities", "population"],
    topQuestions: ["Which cities have more than a million people?"],
    dataSourceId: source.id,
    priceUsd: opts.priceUsd ?? "0.50",
    sellInMarketplace: true,
  });
  const b = await fundedBuyer({ credits: opts.buyerCredits ?? 100 });
  return { seller: s, source, endpoint: product, buyer: b, key: await keyFor(b, product) };
}
