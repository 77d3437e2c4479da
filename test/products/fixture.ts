import { env } from "cloudflare:workers";
import { createDataset, createOrigin } from "../../src/data";
import { drained, fundedCompany, signUp } from "../harness";

/** A seller able to sell (as Stripe Connect will make it). */
export async function seller(name = "Northwind Data") {
  const s = await signUp(name, { isBuyer: false, isSeller: true });
  await env.DB.prepare("UPDATE companies SET can_sell = 1 WHERE id = ?").bind(s.company.id).run();
  return s;
}

/** A CSV of `rows` cities: id, city, region (EU/US alternating), population, active. */
export function citiesCsv(rows: number): string {
  const lines = ["id,city,region,population,active"];
  for (let i = 1; i <= rows; i++) lines.push(`${i},City ${i},${i % 2 ? "EU" : "US"},${i * 1000},${i % 3 === 0}`);
  return lines.join("\n");
}

export async function dataset(companyId: string, csv: string, name = "Cities", filterable: string[] = []) {
  return createDataset(
    { database: env.DB, datasets: env.DATASET },
    { companyId, name, format: "csv", body: new Response(csv).body!, filterable },
  );
}

export async function origin(companyId: string, path: string, timeoutMs?: number) {
  const made = await createOrigin(
    { database: env.DB, secrets: env },
    { companyId, name: `Origin ${path}`, url: `${env.TEST_ORIGIN_URL}${path}`, timeoutMs },
    { allowInsecureOrigins: true },
  );
  return made.source;
}

export const citiesSpec = {
  columns: [{ column: "id" }, { column: "city" }, { column: "region" }, { column: "population" }],
  filters: [
    { param: "region", column: "region", op: "eq" },
    { param: "min_population", column: "population", op: "gte" },
  ],
  sort: { default: [{ column: "id", dir: "asc" }], allowed: ["population", "city"] },
} as const;

/** A listed endpoint over `rows` cities at `priceUsd` per request, and a buyer holding its key. */
export async function listedEndpoint(opts: { rows?: number; priceUsd?: string; buyerCredits?: number } = {}) {
  const s = await seller();
  const source = await dataset(s.company.id, citiesCsv(opts.rows ?? 1000), "Cities", ["region"]);
  const endpoint = await s.api.products.create.mutate({
    type: "endpoint",
    name: "City populations",
    description: "Population of every city, by region.",
    category: "Demographics",
    tags: ["cities", "population"],
    topQuestions: ["Which cities have more than a million people?"],
    dataSourceId: source.id,
    spec: citiesSpec,
    priceUsd: opts.priceUsd ?? "0.50",
    sellInMarketplace: true,
  });
  const buyer = await fundedCompany(opts.buyerCredits ?? 100);
  const key = await buyer.api.marketplace.endpoints.key.mutate({ id: endpoint.id });
  return { seller: s, source, endpoint, buyer, key: key.secret! };
}

/** Everything the wallet and D1 say about a company's money, for invariant checks. */
export async function books(companyId: string) {
  const { wallet } = await import("../../src/wallet/client");
  const w = wallet(env, companyId);
  await drained(companyId);
  const [balance, audit] = await Promise.all([w.balance(), w.audit()]);
  const d1 = await env.DB.prepare(
    "SELECT count(*) AS n, coalesce(sum(amount), 0) AS total FROM transactions WHERE company_id = ? AND kind = 'charge'",
  )
    .bind(companyId)
    .first<{ n: number; total: number }>();
  const log = await env.DB.prepare(
    "SELECT count(*) AS n, coalesce(sum(credits), 0) AS credits FROM request_logs WHERE company_id = ? AND billed = 1",
  )
    .bind(companyId)
    .first<{ n: number; credits: number }>();
  return { balance, audit, charges: d1!, billedLogs: log! };
}
