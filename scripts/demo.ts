/**
 * Seeds the local demo once and remembers what it made in .wrangler/demo.json,
 * so restarting `npm start` keeps the same companies and keys.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createTesseraClient } from "../client/src";

const FILE = ".wrangler/demo.json";

export interface Demo {
  adminKey: string;
  seller: { id: string; name: string; key: string };
  buyer: { id: string; name: string; key: string; credits: number };
}

export async function seedDemo(url: string, adminToken: string): Promise<Demo> {
  if (existsSync(FILE)) {
    const demo = JSON.parse(readFileSync(FILE, "utf8")) as Demo;
    try {
      const balance = await createTesseraClient(url, { apiKey: demo.buyer.key }).credits.balance.query();
      return { ...demo, buyer: { ...demo.buyer, credits: balance.balanceCredits } };
    } catch {
      // The local database was wiped: seed again.
    }
  }
  const anonymous = createTesseraClient(url);
  const adminKey = (await anonymous.admin.bootstrap.mutate({ token: adminToken, name: "Demo admin" })).secret;
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
  await admin.admin.grant.mutate({
    companyId: buyer.company.id,
    credits: 500,
    reason: "Demo credits",
    id: "demo-welcome-grant",
  });

  const demo: Demo = {
    adminKey,
    seller: { id: seller.company.id, name: seller.company.name, key: seller.apiKey.secret },
    buyer: { id: buyer.company.id, name: buyer.company.name, key: buyer.apiKey.secret, credits: 500 },
  };
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(FILE, JSON.stringify(demo, null, 2));
  return demo;
}
