/**
 * Seeds the local demo once and remembers what it made in .wrangler/demo.json,
 * so restarting `npm start` keeps the same companies, products and keys.
 *
 * The seller is verified through the local Stripe's Connect onboarding, uploads
 * a dataset of cities and lists an endpoint and two assets over it; the buyer
 * holds 500 granted credits and its key for the endpoint. Both companies have a
 * person who can sign in to the admin at /app/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createTesseraClient } from "../client/src";
import { addMember } from "../client/src/members";
import { demoCitiesCsv } from "./demo-data";

const FILE = ".wrangler/demo.json";
export const DEMO_PASSWORD = "demo-lantern-harbour";

export interface Demo {
  adminKey: string;
  seller: { id: string; name: string; key: string; email: string };
  buyer: { id: string; name: string; key: string; email: string; credits: number };
  endpoint: { id: string; name: string; priceUsd: string; key: string };
  assets: { id: string; name: string; priceUsd: string }[];
}

export async function seedDemo(url: string, opts: { adminToken: string; stripeUrl: string; stripeKey: string }): Promise<Demo> {
  if (existsSync(FILE)) {
    const demo = JSON.parse(readFileSync(FILE, "utf8")) as Partial<Demo>;
    if (demo.endpoint && demo.buyer) {
      let balance: number | undefined;
      try {
        balance = (await createTesseraClient(url, { apiKey: demo.buyer.key }).credits.balance.query()).balanceCredits;
      } catch {
        // The local database was wiped: seed again.
      }
      if (balance !== undefined) {
        await checkDemoData(url, demo as Demo);
        return { ...(demo as Demo), buyer: { ...demo.buyer, credits: balance } };
      }
    }
  }
  const anonymous = createTesseraClient(url);
  const adminKey = (await anonymous.admin.bootstrap.mutate({ token: opts.adminToken, name: "Demo admin" })).secret;
  const admin = createTesseraClient(url, { apiKey: adminKey });

  const seller = await anonymous.companies.signUp.mutate({
    name: "Northwind Data",
    isBuyer: false,
    isSeller: true,
    billingEmail: "billing@northwind.example",
  });
  const buyer = await anonymous.companies.signUp.mutate({
    name: "Acme Analytics",
    isBuyer: true,
    billingEmail: "finance@acme.example",
  });
  const sellerApi = createTesseraClient(url, { apiKey: seller.apiKey.secret });
  const buyerApi = createTesseraClient(url, { apiKey: buyer.apiKey.secret });

  // Verified for payouts, as a seller would be after Stripe's onboarding form.
  const connect = await sellerApi.connect.start.mutate({});
  const onboarded = await fetch(`${opts.stripeUrl}/_local/accounts/${connect.accountId}/onboarding`, {
    method: "POST",
    headers: { authorization: `Bearer ${opts.stripeKey}` },
  });
  if (!onboarded.ok) throw new Error(`local Stripe onboarding failed: ${onboarded.status} ${await onboarded.text()}`);
  await sellerApi.connect.refresh.mutate();

  const upload = await fetch(`${url}/v1/datasets?name=World%20cities&format=csv&filterable=region`, {
    method: "POST",
    headers: { "x-api-key": seller.apiKey.secret, "content-type": "text/csv" },
    body: demoCitiesCsv(),
  });
  if (!upload.ok) throw new Error(`dataset upload failed: ${upload.status} ${await upload.text()}`);
  const dataSourceId = ((await upload.json()) as { data: { id: string } }).data.id;

  const common = { category: "Demographics", dataSourceId, sellInMarketplace: true, tags: ["cities", "population"] };
  const endpoint = await sellerApi.products.create.mutate({
    ...common,
    type: "endpoint",
    name: "City populations",
    description: "Population and growth of 200 cities, filterable by region, paginated.",
    topQuestions: ["Which cities grow fastest?", "Which European cities have over a million people?"],
    spec: {
      columns: [{ column: "id" }, { column: "city" }, { column: "region" }, { column: "population" }, { column: "growth_pct" }],
      filters: [
        { param: "region", column: "region", op: "eq" },
        { param: "min_population", column: "population", op: "gte" },
      ],
      sort: { default: [{ column: "id", dir: "asc" }], allowed: ["population", "growth_pct", "city"] },
    },
    priceUsd: "0.50",
  });
  const total = await sellerApi.products.create.mutate({
    ...common,
    type: "asset",
    assetKind: "calculation",
    name: "Total population",
    description: "The total population of the cities in a region.",
    spec: { filters: [{ param: "region", column: "region", op: "eq" }], aggregate: { fn: "sum", column: "population" } },
    priceUsd: "2",
  });
  const chart = await sellerApi.products.create.mutate({
    ...common,
    type: "asset",
    assetKind: "visualization",
    name: "Population by region",
    description: "A bar chart of population per region.",
    spec: { aggregate: { fn: "sum", column: "population", groupBy: "region" }, chart: { type: "bar", title: "Population by region" } },
    priceUsd: "2.50",
  });

  await admin.admin.grant.mutate({ companyId: buyer.company.id, credits: 500, reason: "Demo credits", id: "demo-welcome-grant" });
  const endpointKey = await buyerApi.marketplace.endpoints.key.mutate({ id: endpoint.id });

  const sellerEmail = "seller@northwind.example";
  const buyerEmail = "buyer@acme.example";
  await addMember(url, seller.apiKey.secret, { email: sellerEmail, name: "Nora Northwind", password: DEMO_PASSWORD });
  await addMember(url, buyer.apiKey.secret, { email: buyerEmail, name: "Ada Acme", password: DEMO_PASSWORD });

  const demo: Demo = {
    adminKey,
    seller: { id: seller.company.id, name: seller.company.name, key: seller.apiKey.secret, email: sellerEmail },
    buyer: { id: buyer.company.id, name: buyer.company.name, key: buyer.apiKey.secret, email: buyerEmail, credits: 500 },
    endpoint: { id: endpoint.id, name: endpoint.name, priceUsd: "0.50", key: endpointKey.secret! },
    assets: [
      { id: total.id, name: total.name, priceUsd: "2" },
      { id: chart.id, name: chart.name, priceUsd: "2.50" },
    ],
  };
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(FILE, JSON.stringify(demo, null, 2));
  return demo;
}

/** The kept demo's endpoint still reads its rows (a demo seeded before datasets had objects of their own does not). */
async function checkDemoData(url: string, demo: Demo): Promise<void> {
  try {
    await createTesseraClient(url, { apiKey: demo.seller.key }).products.try.query({ id: demo.endpoint.id, params: {} });
  } catch (error) {
    throw new Error(
      `The demo kept in .wrangler/ can't read its dataset (${error instanceof Error ? error.message : String(error)}). ` +
        "It predates datasets stored in Durable Objects of their own: delete .wrangler/ and run npm start again.",
    );
  }
}
