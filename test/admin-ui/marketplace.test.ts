/**
 * The admin end to end, in headless Chromium against wrangler dev and the
 * local Stripe: a seller signs up, uploads a dataset, makes and prices an
 * endpoint and an asset, connects Stripe, and sees them listed; a buyer signs
 * up, buys a bundle through Checkout, finds the endpoint, gets its key, calls
 * it (as curl would), sees the balance drop by the price, then processes the
 * asset and sees its chart; a platform admin refunds a dispute, grants
 * credits, and the month's cron pays the seller, who downloads the payout's
 * PDF report. Screenshots go to test-results/admin-ui/.
 */
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { pdfText } from "../payouts/pdf-text";
import { axeReport, call, email, LAPTOP, launch, PASSWORD, PHONE, salesCsv, see, seeCount, seeText, shoot, SHOTS, watchErrors } from "./browser";

const url = inject("tesseraUrl");
const stripeUrl = inject("stripeUrl");

let browser: Browser;
let sellerContext: BrowserContext;
let buyerContext: BrowserContext;
let seller: Page;
let buyer: Page;
const errors: string[] = [];
let staffPage: Page | undefined;
const state: { endpointId?: string; endpointKey?: string; assetId?: string } = {};

async function available(page: Page): Promise<string> {
  return (await page.getByTestId("available-credits").innerText()).trim();
}

beforeAll(async () => {
  browser = await launch();
  sellerContext = await browser.newContext({ viewport: LAPTOP, baseURL: url });
  buyerContext = await browser.newContext({ viewport: LAPTOP, baseURL: url });
  for (const context of [sellerContext, buyerContext]) context.setDefaultTimeout(10_000);
  seller = await sellerContext.newPage();
  buyer = await buyerContext.newPage();
  watchErrors(seller, errors);
  watchErrors(buyer, errors);
});

// A failing step leaves both pages on disk, to see what the browser saw.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== "fail") return;
  const name = ctx.task.name.replace(/\W+/g, "-");
  await seller?.screenshot({ path: `${SHOTS}/FAILED-${name}.seller.png`, fullPage: true }).catch(() => {});
  await buyer?.screenshot({ path: `${SHOTS}/FAILED-${name}.buyer.png`, fullPage: true }).catch(() => {});
  await staffPage?.screenshot({ path: `${SHOTS}/FAILED-${name}.staff.png`, fullPage: true }).catch(() => {});
});

afterAll(async () => {
  await browser?.close();
});

describe("the admin, seller side", () => {
  it("a seller signs up", async () => {
    // The admin runs under its CSP (client/public/_headers): any violation is a console error below.
    const page = await seller.goto("/app");
    expect(page?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await seller.waitForURL("**/app/signin**");
    await shoot(seller, "01-sign-in");
    await seller.getByRole("link", { name: "Create a company account" }).click();
    await seller.getByLabel("Company name").fill("Northwind Test Data");
    await seller.getByLabel("Sell data products").check();
    await seller.getByLabel("Buy data products").uncheck();
    await seller.getByLabel("Your name").fill("Sam Seller");
    await seller.getByLabel("E-mail").fill(email("seller"));
    await seller.getByLabel("Password").fill(PASSWORD);
    await shoot(seller, "02-sign-up", { laptopOnly: true });
    await seller.getByRole("button", { name: "Create account" }).click();
    await seller.waitForURL("**/app/seller/data");
    await see(seller.getByText("No data sources yet"));
  });

  it("shows the progress of a bigger upload", async () => {
    const upload = seller.locator(".card", { hasText: "Upload a dataset" });
    const rows = ["day,visits,country"];
    for (let i = 0; i < 120_000; i++) rows.push(`2025-01-${String((i % 28) + 1).padStart(2, "0")},${(i * 7919) % 10_000},country_${i % 50}`);
    await upload.getByLabel("File").setInputFiles({ name: "visits.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
    await upload.getByLabel("Indexed columns (optional)").fill("country");
    await upload.getByRole("button", { name: "Upload" }).click();
    await see(upload.getByRole("progressbar"));
    await upload.screenshot({ path: `${SHOTS}/03b-upload-progress.laptop.png` });
    await see(seller.getByText("visits is ready: 120,000 rows."), 60_000);
  });

  it("uploads the dataset its products read", async () => {
    const upload = seller.locator(".card", { hasText: "Upload a dataset" });
    await upload.getByLabel("File").setInputFiles({ name: "sales.csv", mimeType: "text/csv", buffer: Buffer.from(salesCsv()) });
    expect(await upload.getByLabel("Name", { exact: true }).inputValue()).toBe("sales");
    await upload.getByLabel("Indexed columns (optional)").fill("region");
    await upload.getByRole("button", { name: "Upload" }).click();
    await see(seller.getByText("sales is ready: 48 rows."));
    await see(seller.getByText("48 rows · 4 columns"));
    await shoot(seller, "03-data-sources");
  });

  it("creates and prices an endpoint", async () => {
    await seller.getByRole("link", { name: "Create a product from it" }).click();
    await seller.waitForURL("**/app/seller/products/new?source=*");
    expect(await seller.getByLabel("region", { exact: true }).first().isChecked()).toBe(true);
    await seller.getByLabel("Name", { exact: true }).fill("Regional sales rows");
    await seller.getByLabel("Description").fill("Monthly sales and orders for each region, one row per region and month.");
    await seller.getByLabel("Tags").fill("sales, regions");
    await seller.getByLabel("Category").fill("Retail");
    await seller.getByLabel("Top Questions").fill("What were sales by region?");
    await seller.getByLabel(/Price in USD/).fill("0.25");
    await seeText(seller.getByTestId("price-estimate"), "0.5 credits");
    await seeText(seller.getByTestId("price-estimate"), "$0.20");
    await shoot(seller, "04-new-endpoint");
    await seller.getByRole("button", { name: "Create product" }).click();
    await seller.waitForURL(/\/app\/seller\/products\/[^/?]+\?created=true$/);
    state.endpointId = new URL(seller.url()).pathname.split("/").pop();
    await see(seller.getByText("Created. Here is what buyers will see."));
    await seeText(seller.locator("table").first(), "north");
    await see(seller.getByText("$0.25 · 0.5 credits").first());
    await see(seller.getByText("$0.20").first());
    await shoot(seller, "05-endpoint");
  });

  it("tries the endpoint and goes to the next page with its cursor", async () => {
    const card = seller.locator(".card", { hasText: "Try it with parameters" });
    await card.getByRole("button", { name: "Run" }).click();
    await seeCount(card.locator("tbody tr"), 20);
    // Column names as people read them, numbers formatted.
    await see(card.getByRole("columnheader", { name: /Amount/ }));
    const first = await card.locator("tbody tr").first().innerText();
    await card.getByRole("button", { name: "Next page" }).click();
    await see(card.getByText("Page 2"));
    await seeCount(card.locator("tbody tr"), 20);
    expect(await card.locator("tbody tr").first().innerText()).not.toBe(first);
    await card.getByRole("button", { name: "Next page" }).click();
    await see(card.getByText("Page 3"));
    await seeCount(card.locator("tbody tr"), 8);
    await shoot(seller, "05b-try-it-page-3");
  });

  it("creates and prices a visualization asset", async () => {
    await seller.goto("/app/seller/products/new");
    await seller.getByText("Visualization", { exact: true }).click();
    await seller.getByLabel("Chart title").fill("Sales by region");
    await seller.getByLabel("Name", { exact: true }).fill("Sales by region chart");
    await seller.getByLabel("Description").fill("Total sales per region over the year, as a bar chart.");
    await seller.getByLabel("Category").fill("Retail");
    await seller.getByLabel(/Price in USD/).fill("1.00");
    await seeText(seller.getByTestId("price-estimate"), "2 credits");
    await seller.getByRole("button", { name: "Create product" }).click();
    await seller.waitForURL(/created=true$/);
    state.assetId = new URL(seller.url()).pathname.split("/").pop();
    const chart = seller.locator("figure.viz img");
    await see(chart);
    expect(await chart.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    await shoot(seller, "06-asset");
  });

  it("connects Stripe through the local onboarding page", async () => {
    await seller.goto("/app/seller/products");
    await see(seller.getByText("can't be listed in the marketplace until Stripe is connected"));
    await seller.getByRole("link", { name: "Stripe" }).first().click();
    await seller.waitForURL("**/app/seller/stripe");
    await see(seller.getByText("Not connected"));
    await shoot(seller, "07-stripe-before", { laptopOnly: true });
    await seller.getByRole("button", { name: "Connect Stripe" }).click();
    await seller.waitForURL(`${stripeUrl}/connect/onboarding/**`);
    await seller.getByRole("button", { name: "Agree and submit" }).click();
    await seller.waitForURL("**/app/seller/stripe");
    await see(seller.getByText("Verified"));
    await shoot(seller, "08-stripe-verified");
  });

  it("lists both products in the marketplace", async () => {
    await seller.goto("/app/seller/products");
    const rows = seller.locator("tbody tr");
    await seeCount(rows, 2);
    await seeCount(seller.getByText("Live", { exact: true }), 0);
    for (const name of ["Regional sales rows", "Sales by region chart"]) {
      await rows.filter({ hasText: name }).getByRole("switch").click({ force: true });
      await see(rows.filter({ hasText: name }).getByText("Live", { exact: true }));
    }
    await shoot(seller, "09-products");
  });
});

describe("the admin, buyer side", () => {
  it("a buyer signs up and buys a bundle through Checkout", async () => {
    await buyer.goto("/app/signup");
    await buyer.getByLabel("Company name").fill("Acme Test Analytics");
    await buyer.getByLabel("Your name").fill("Bea Buyer");
    await buyer.getByLabel("E-mail").fill(email("buyer"));
    await buyer.getByLabel("Password").fill(PASSWORD);
    await buyer.getByRole("button", { name: "Create account" }).click();
    await buyer.waitForURL("**/app/marketplace");

    await buyer.goto("/app/credits");
    await see(buyer.getByText("No credit purchases yet"));
    await buyer.getByRole("link", { name: "Buy credits" }).first().click();
    await buyer.waitForURL("**/app/credits/buy");
    await seeText(buyer.getByTestId("offer-starter"), "55 credits");
    await shoot(buyer, "10-buy-credits");
    await buyer.getByTestId("offer-starter").getByRole("button", { name: "Buy" }).click();
    await buyer.waitForURL(`${stripeUrl}/checkout/**`);
    await buyer.getByRole("button", { name: "Pay" }).click();
    await buyer.waitForURL("**/app/credits?checkout=success&order=*");
    await see(buyer.getByText("Payment received"), 15_000);
    await see(buyer.getByText("+55 credits"));
    await expect.poll(() => available(buyer), { timeout: 10_000 }).toBe("55 credits");
    await shoot(buyer, "11-credits-after-checkout");
  });

  it("finds the endpoint by search, gets its key, and a call bills exactly its price", async () => {
    await buyer.goto("/app/marketplace");
    await buyer.getByLabel("Search the marketplace").fill("sales by region");
    await buyer.getByRole("button", { name: "Search", exact: true }).click();
    await see(buyer.getByRole("link", { name: "Regional sales rows" }));
    await shoot(buyer, "12-marketplace");
    await buyer.getByRole("link", { name: "Regional sales rows" }).click();
    await buyer.waitForURL(`**/app/marketplace/${state.endpointId}`);
    await seeText(buyer.getByTestId("quote"), "0.5 credits");
    await buyer.getByRole("button", { name: "Get API key" }).click();
    const keyBox = buyer.getByTestId("endpoint-key");
    await see(keyBox);
    state.endpointKey = (await keyBox.locator("code").first().innerText()).trim();
    expect(state.endpointKey).toMatch(/^tse_/);
    await seeText(keyBox.locator("code").nth(1), `curl -s "${url}/v1/endpoints/${state.endpointId}`);
    await shoot(buyer, "13-endpoint-key");

    // What the curl line does.
    const res = await fetch(`${url}/v1/endpoints/${state.endpointId}?page_size=100&region=north`, { headers: { "x-api-key": state.endpointKey } });
    const body = (await res.json()) as { data: { region: string }[]; billing: { billed: boolean; credits: number } };
    expect(res.status).toBe(200);
    expect(body.data).toHaveLength(12);
    expect(body.data.every((r) => r.region === "north")).toBe(true);
    expect(body.billing).toMatchObject({ billed: true, credits: 0.5 });

    await buyer.goto("/app/credits");
    await expect.poll(() => available(buyer), { timeout: 10_000 }).toBe("54.5 credits");
    await buyer.goto("/app/keys");
    await see(buyer.getByText("Regional sales rows"));
    await shoot(buyer, "14-endpoint-keys");
  });

  it("fetches 20 rows in the app and the next page after them, each billed once", async () => {
    await buyer.goto(`/app/marketplace/${state.endpointId}`);
    const card = buyer.locator(".card", { hasText: "Fetch a page here" });
    await card.getByRole("button", { name: /Fetch 20 rows/ }).click();
    await seeCount(card.locator("tbody tr"), 20);
    await see(card.getByText("Page 1"));
    const first = await card.locator("tbody tr").first().innerText();
    await card.getByRole("button", { name: "Next page (0.5 credits)" }).click();
    await see(card.getByText("Page 2"));
    expect(await card.locator("tbody tr").first().innerText()).not.toBe(first);
    await shoot(buyer, "14b-fetched-page-2");
    await buyer.goto("/app/credits");
    await expect.poll(() => available(buyer), { timeout: 10_000 }).toBe("53.5 credits");
  });

  it("processes the asset and sees the chart", async () => {
    await buyer.goto("/app/marketplace?type=asset");
    await buyer.getByRole("link", { name: "Sales by region chart" }).click();
    await seeText(buyer.getByTestId("quote"), "2 credits");
    await buyer.getByRole("button", { name: "Process for 2 credits" }).click();
    const result = buyer.getByTestId("process-result");
    await seeText(result, "Charged 2 credits.");
    const chart = result.locator("figure.viz img");
    await see(chart);
    expect(await chart.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    // The chart's values, not only its picture, and a CSV of them made from the stored result.
    const values = result.getByRole("region", { name: "Sales by region: values" });
    await seeCount(values.locator("tbody tr"), 4);
    await seeText(values, "north");
    const [download] = await Promise.all([buyer.waitForEvent("download"), result.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("sales-by-region-chart.csv");
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("label,value");
    expect(lines.slice(1).map((l) => l.split(",")[0]).sort()).toEqual(["east", "north", "south", "west"]);
    expect(lines.slice(1).every((l) => Number.isFinite(Number(l.split(",")[1])))).toBe(true);
    await shoot(buyer, "15-processed-asset");
    await buyer.goto("/app/credits");
    await expect.poll(() => available(buyer), { timeout: 10_000 }).toBe("51.5 credits");
    await seeCount(buyer.locator("figure.chart"), 2);
    // Hovering today's bar shows its tooltip: the day and what was spent.
    const spent = buyer.locator("figure.chart").first();
    const box = (await spent.boundingBox())!;
    await buyer.mouse.move(box.x + box.width - 16, box.y + 100);
    const tooltip = spent.locator(".recharts-tooltip-wrapper");
    await seeText(tooltip, "Today");
    await seeText(tooltip, "Credits spent");
    await seeText(tooltip, "3.5");
    await shoot(buyer, "16-credits-usage");
    await buyer.goto("/app/library");
    // Processing put the asset in the library.
    await see(buyer.locator(".card", { hasText: "Library" }).getByRole("link", { name: "Sales by region chart" }));
    await shoot(buyer, "17-library");
    await buyer.locator(".card", { hasText: "Purchases" }).getByRole("link", { name: "Sales by region chart" }).click();
    await seeText(buyer.getByRole("region", { name: "Sales by region: values" }), "north");
    await see(buyer.getByRole("button", { name: "Download JSON" }));
    await shoot(buyer, "17b-purchase");
  });

  it("rates the asset it used", async () => {
    const ratings = buyer.locator(".card", { hasText: "Ratings and reviews" });
    await buyer.goto(`/app/marketplace/${state.assetId}`);
    await ratings.getByLabel("Review (optional)").fill("Clear and up to date.");
    await ratings.getByRole("button", { name: "Rate it" }).click();
    await see(ratings.getByText("your rating is saved"));
    await seeText(ratings, "5.00");
    await seeText(ratings, "Contributor");
  });

  it("shows the buyer's other pages", async () => {
    for (const [path, name, text] of [
      ["/app/transactions", "18-transactions", "Endpoint by Northwind Test Data"],
      ["/app/disputes", "19-disputes", "No disputes"],
      ["/app/settings", "20-alerts-refill", "Save auto-refill"],
      ["/app/team", "21-team", "Bea Buyer"],
      ["/app/company", "22-company", "no ratings yet"],
    ] as const) {
      await buyer.goto(path);
      await see(buyer.getByText(text).first());
      await shoot(buyer, name);
    }
  });

  it("names the products and sellers of its transactions, and shows the ids disputes ask for", async () => {
    await buyer.goto("/app/transactions");
    const charges = buyer.locator("tbody tr", { hasText: "charge" });
    await see(charges.filter({ hasText: "Regional sales rows" }).filter({ hasText: "Endpoint by Northwind Test Data" }));
    await see(charges.filter({ hasText: "Sales by region chart" }).filter({ hasText: "Asset by Northwind Test Data" }));
    expect(await charges.filter({ hasText: /prd_|ept_/ }).count()).toBe(0);
    const id = (await charges.first().locator("code").innerText()).trim();
    expect(id.length).toBeGreaterThan(3);
    await charges.first().getByRole("link", { name: "Dispute" }).click();
    await buyer.waitForURL(`**/app/disputes?transaction=${encodeURIComponent(id)}`);
    expect(await buyer.getByRole("textbox", { name: "Transaction id" }).inputValue()).toBe(id);
  });

  it("disputes a charge from its transactions", async () => {
    await buyer.goto("/app/transactions");
    await buyer.getByRole("link", { name: "Dispute", exact: true }).first().click();
    await buyer.waitForURL(/\/app\/disputes\?transaction=/);
    await buyer.getByLabel("What went wrong").fill("The rows looked stale.");
    await buyer.getByRole("button", { name: "Open dispute" }).click();
    await see(buyer.getByText("Dispute opened."));
    await see(buyer.getByText("“The rows looked stale.”"));
    await shoot(buyer, "19b-dispute-opened", { laptopOnly: true });
  });

  it("caps what the endpoint key may spend, and rolls it", async () => {
    const call = (key: string) => fetch(`${url}/v1/endpoints/${state.endpointId}?page_size=10`, { headers: { "x-api-key": key } });
    await buyer.goto("/app/keys");
    const item = buyer.getByRole("listitem").filter({ hasText: "Regional sales rows" });
    await seeText(item.getByTestId("key-usage"), "In all 1.5 credits");
    await seeText(item.getByTestId("key-usage"), "No caps");
    await item.getByRole("button", { name: "Spending caps" }).click();
    const dialog = buyer.getByRole("dialog", { name: "Spending caps for Regional sales rows" });
    await dialog.getByLabel("In total").fill("0.1");
    await shoot(buyer, "19c-key-caps-dialog", { laptopOnly: true, fullPage: false });
    await dialog.getByRole("button", { name: "Save caps" }).click();
    await seeText(item.getByTestId("key-usage"), "In all 1.5 credits of 0.1");
    // Over its cap: refused before any work, and not billed.
    const refused = await call(state.endpointKey!);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("BUDGET_EXCEEDED");
    await shoot(buyer, "19d-key-capped");

    await item.getByRole("button", { name: "Roll key" }).click();
    await buyer.getByRole("dialog", { name: "Roll the key for Regional sales rows?" }).getByRole("button", { name: "Roll key" }).click();
    const shown = buyer.getByRole("status").filter({ hasText: "shown only now" });
    await see(shown);
    const rolled = (await shown.locator("code").first().innerText()).trim();
    expect(rolled).toMatch(/^tse_/);
    expect(rolled).not.toBe(state.endpointKey);
    await see(shown.getByRole("button", { name: "Copy" }));
    await shoot(buyer, "19e-key-rolled", { laptopOnly: true });
    expect((await call(state.endpointKey!)).status).toBe(401);
    // The new key keeps the old one's caps: 0.1 credits can't pay a 0.5-credit page.
    const capped = await call(rolled);
    expect(capped.status).toBe(403);
    expect(((await capped.json()) as { error: { code: string } }).error.code).toBe("BUDGET_EXCEEDED");
    await buyer.goto("/app/credits");
    await expect.poll(() => available(buyer)).toBe("51.5 credits");
  });

  it("works from the phone menu", async () => {
    await buyer.setViewportSize(PHONE);
    await buyer.goto("/app/credits");
    await see(buyer.getByTestId("available-credits"));
    expect(await buyer.locator("#nav").isVisible()).toBe(false);
    await buyer.getByRole("button", { name: "Menu" }).click();
    await see(buyer.locator("#nav"));
    await buyer.screenshot({ path: `${SHOTS}/23-phone-menu.phone.png` });
    await buyer.locator("#nav").getByRole("link", { name: "Marketplace" }).click();
    await buyer.waitForURL("**/app/marketplace");
    expect(await buyer.locator("#nav").isVisible()).toBe(false);
    await buyer.setViewportSize(LAPTOP);
  });
});

describe("the admin, seller side after the sales", () => {
  it("sees the sales in earnings, the request log and the buyer's key", async () => {
    await seller.goto("/app/seller/earnings");
    await seeText(seller.locator(".stats.big"), "$1.40"); // 80% of 3 × $0.25 + 80% of $1.00
    // Hovering the chart's last bar: today's earnings by product type.
    const chart = seller.locator("figure.chart");
    const box = (await chart.boundingBox())!;
    await seller.mouse.move(box.x + box.width - 12, box.y + 100);
    await seeText(chart.locator(".recharts-tooltip-wrapper"), "Today");
    await seeText(chart.locator(".recharts-tooltip-wrapper"), "$0.80");
    await see(seller.locator("figure.chart"));
    await see(seller.locator(".card", { hasText: "Disputed sales" }).getByText("“The rows looked stale.”"));
    await shoot(seller, "24-earnings");
    await seller.goto("/app/seller/requests");
    // The buyer's REST call to the endpoint, billed at its price.
    const endpointRows = seller.locator("tbody tr", { hasText: "Regional sales rows" });
    await see(endpointRows.filter({ hasText: "Acme Test Analytics" }).filter({ hasText: "$0.20" }).filter({ hasText: "0.5 credits" }));
    // The calls the buyer's spending cap refused: logged, with why they were not billed.
    await see(endpointRows.filter({ hasText: "BUDGET_EXCEEDED" }).filter({ hasText: "not billed: it failed" }));
    // In-app calls say where they came from, not a transport's method.
    await see(endpointRows.filter({ hasText: "In the app" }));
    expect(await seller.locator("tbody tr", { hasText: "TRPC" }).count()).toBe(0);
    await shoot(seller, "25-request-log");
    await seller.goto(`/app/seller/products/${state.endpointId}`);
    await see(seller.getByText("Acme Test Analytics"));
    await seller.goto("/app/seller/payouts");
    await see(seller.getByText("No payouts yet"));
    await shoot(seller, "26-payouts", { laptopOnly: true });
  });

});

describe("the platform admin", () => {
  let staff: Page;
  const amount = async (testId: string) => Number((await staff.getByTestId(testId).innerText()).replace(/[^0-9.]/g, ""));
  const openCompany = async (name: string) => {
    await staff.goto("/app/admin/companies");
    await staff.getByLabel("Name or id").fill(name);
    await staff.getByRole("button", { name: "Search" }).click();
    await staff.getByRole("link", { name, exact: true }).click();
    await see(staff.getByRole("heading", { name, level: 1 }));
  };

  it("joins Tessera's staff through an invitation a platform admin key made", async () => {
    const key = await call<{ secret: string }>(url, "admin.bootstrap", { token: "ui-admin-token", name: "UI test admin" });
    const invite = await call<{ token: string }>(url, "admin.inviteStaff", { email: email("staff") }, key.secret);
    const context = await browser.newContext({ viewport: LAPTOP, baseURL: url });
    context.setDefaultTimeout(10_000);
    staff = await context.newPage();
    staffPage = staff;
    watchErrors(staff, errors);
    await staff.goto(`/app/invite/${invite.token}`);
    await staff.getByLabel("Your name").fill("Pat Platform");
    await staff.getByLabel("Choose a password").fill(PASSWORD);
    await staff.getByRole("button", { name: "Join" }).click();
    await staff.waitForURL("**/app/admin/disputes");
    await see(staff.getByText("The rows looked stale."));
    await shoot(staff, "30-admin-disputes");
  });

  it("refunds the dispute: the buyer's balance goes up and the seller's next payout down", async () => {
    await openCompany("Acme Test Analytics");
    const buyerBefore = await amount("company-available");
    await openCompany("Northwind Test Data");
    const payoutBefore = await amount("company-next-payout");
    await shoot(staff, "31-admin-company");

    await staff.goto("/app/admin/disputes");
    const item = staff.getByRole("listitem").filter({ hasText: "The rows looked stale." });
    // The request behind the dispute, from the request log.
    await seeText(item.getByLabel("The request behind it"), "200");
    const credits = Number((await item.locator(".muted.small .amount").first().innerText()).replace(/[^0-9.]/g, ""));
    const share = Number((await item.locator(".muted.small .amount").nth(2).innerText()).replace(/[^0-9.]/g, ""));
    await item.getByRole("button", { name: "Refund" }).click();
    const dialog = staff.getByRole("dialog", { name: "Refund this dispute?" });
    await dialog.getByLabel("Note to the buyer and seller (optional)").fill("Stale rows confirmed in the log.");
    await shoot(staff, "32-admin-refund-dialog", { laptopOnly: true, fullPage: false });
    await dialog.getByRole("button", { name: "Refund" }).click();
    await see(staff.getByText("No open disputes"));

    await openCompany("Acme Test Analytics");
    await expect.poll(() => amount("company-available")).toBeCloseTo(buyerBefore + credits, 6);
    // The seller's next payout is summed from D1's copy of the ledgers, which the feed brings a moment later.
    await expect
      .poll(async () => {
        await openCompany("Northwind Test Data");
        return amount("company-next-payout");
      })
      .toBeCloseTo(payoutBefore - share, 2);
    await buyer.goto("/app/disputes");
    await see(buyer.getByText("Stale rows confirmed in the log."));
  });

  it("grants credits with a reason and sees it in grants and adjustments", async () => {
    await openCompany("Acme Test Analytics");
    const before = await amount("company-available");
    const grant = staff.getByRole("form", { name: "Grant credits" });
    await grant.getByLabel("Credits").fill("3");
    await grant.getByLabel("Reason").fill("Goodwill for the stale rows");
    await grant.getByRole("button", { name: "Grant" }).click();
    await see(grant.getByText("Granted."));
    await expect.poll(() => amount("company-available")).toBeCloseTo(before + 3, 6);
    // The list reads D1's copy of the wallets' ledgers, which follows the wallet a moment later.
    await expect
      .poll(async () => {
        await staff.goto("/app/admin/ledger");
        await see(staff.getByRole("heading", { name: "Grants and adjustments", level: 1 }));
        await staff.waitForLoadState("networkidle");
        return staff.getByRole("cell", { name: "Goodwill for the stale rows" }).count();
      }, { timeout: 20_000 })
      .toBe(1);
    await shoot(staff, "33-admin-ledger");
  });

  it("shows the payouts overview", async () => {
    await staff.goto("/app/admin/payouts");
    await see(staff.getByText("at a glance"));
    await see(staff.getByText("No payouts here"));
    await shoot(staff, "34-admin-payouts");
  });

  it("runs the month's payouts at the next month's cron: the seller downloads the PDF report", async () => {
    // Cloudflare runs the cron daily at 03:00 UTC; its first run in the next month pays this one.
    // wrangler dev triggers it with a chosen scheduled time, as the platform would on the 1st.
    const now = new Date();
    const period = now.toISOString().slice(0, 7);
    const firstOfNextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 3);
    const cron = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("0 3 * * *")}&time=${firstOfNextMonth}`);
    expect(cron.status).toBe(200);

    // One queue message per seller pays (here: rolls over, below $25.00) and stores the report.
    const payout = seller.getByRole("listitem").filter({ hasText: period });
    await expect
      .poll(async () => {
        await seller.goto("/app/seller/payouts");
        await seller.waitForLoadState("networkidle");
        return payout.count();
      }, { timeout: 20_000 })
      .toBe(1);
    await see(payout.getByText("Rolled over"));
    const earned = (await payout.getByText(/^Earned/).innerText()).match(/Earned (\$[0-9.,]+)/)![1]!;
    await payout.getByRole("button", { name: "Line items" }).click();
    await see(payout.getByRole("cell", { name: "Regional sales rows" }));
    await shoot(seller, "27-payout-lines", { laptopOnly: true });

    const [download] = await Promise.all([seller.waitForEvent("download"), payout.getByRole("button", { name: "Download PDF report" }).click()]);
    expect(download.suggestedFilename()).toBe(`tessera-payout-${period}.pdf`);
    const pdf = new Uint8Array(readFileSync((await download.path())!));
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe("%PDF-");
    const text = await pdfText(pdf);
    expect(text).toContain("Tessera payout report");
    expect(text).toContain(now.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" }));
    expect(text).toContain("Seller: Northwind Test Data");
    expect(text).toContain("Status: Rolled over (below the $25.00 minimum)");
    expect(text).toContain("Regional sales rows");
    expect(text).toContain(earned);

    // The platform admin's overview of the month shows it too.
    await staff.goto("/app/admin/payouts");
    await staff.getByLabel("Month").fill(period);
    await see(staff.getByRole("row", { name: /Northwind Test Data/ }).getByText("Rolled over"));
    // A month not yet over offers no re-run (payouts.run would refuse it).
    expect(await staff.getByRole("button", { name: `Run ${period} again` }).count()).toBe(0);
    await shoot(staff, "35-admin-payouts-month");
  });

  it("showed no script errors", () => {
    expect(errors).toEqual([]);
  });

  it("has no serious or critical accessibility finding on any page, at laptop or phone width", () => {
    const report = axeReport();
    console.log(`axe-core on ${report.pages} page views: ${JSON.stringify(report.byImpact)} (test-results/admin-ui/axe.json)`);
    expect(report.pages).toBeGreaterThan(40);
    expect(report.blocking.map((f) => `${f.shot}: ${f.id} (${f.impact}) ${f.nodes.join(" ")}`)).toEqual([]);
  });
});
