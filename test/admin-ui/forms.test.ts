/**
 * The forms on the procedures' own schemas, in Chromium: a value the schema
 * refuses is shown on its field and no call goes out; a refusal the server
 * makes about one field (details.issues, src/errors.ts fieldError) is shown
 * on that field, the others left alone. Screenshots at both widths, checked
 * with axe-core like every other page.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { axeReport, email, LAPTOP, launch, PASSWORD, see, seeText, shoot, SHOTS, watchErrors } from "./browser";

const url = inject("tesseraUrl");

let browser: Browser;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
/** The tRPC procedures the page called, in order. */
const calls: string[] = [];
const person = { email: email("forms"), company: "Schema Forms Co" };
const field = (label: string) => page.locator("label.field", { hasText: label });
const callsTo = (procedure: string) => calls.filter((c) => c === procedure);

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: LAPTOP, baseURL: url });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  watchErrors(page, errors);
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/trpc/") && r.method() === "POST") calls.push(...path.slice("/trpc/".length).split(","));
  });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") await page?.screenshot({ path: `${SHOTS}/FAILED-forms-${ctx.task.name.replace(/\W+/g, "-")}.png`, fullPage: true }).catch(() => {});
});

afterAll(async () => {
  await browser?.close();
});

describe("schema forms", () => {
  it("signs up a company that buys and sells", async () => {
    await page.goto("/app/signup");
    await page.getByLabel("Company name").fill(person.company);
    await page.getByLabel("Sell data products").check();
    await page.getByLabel("Your name").fill("Fay Forms");
    await page.getByLabel("E-mail").fill(person.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/app\/(?!signup)/);
  });

  it("company profile: a one-letter name is refused on its field with no call; an emptied billing e-mail saves as none", async () => {
    await page.goto("/app/company");
    const name = page.getByRole("textbox", { name: "Name" });
    await name.fill("S");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => field("Name").locator(".field-error").innerText()).toMatch(/2 characters/);
    expect(callsTo("companies.update")).toHaveLength(0);
    await name.fill("Schema Forms Co Ltd");
    await page.getByRole("textbox", { name: "Billing e-mail" }).fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await see(page.getByText("Saved."));
    expect(callsTo("companies.update")).toHaveLength(1);
    await page.reload();
    await expect.poll(() => page.getByRole("textbox", { name: "Name" }).inputValue()).toBe("Schema Forms Co Ltd");
  });

  it("team invite: a bad e-mail is refused on its field with no call; an e-mail with an account by the server, on the same field", async () => {
    await page.goto("/app/team");
    const box = page.getByRole("textbox", { name: "E-mail" });
    await box.fill("not an e-mail");
    await page.getByRole("button", { name: "Create invitation" }).click();
    await seeText(field("E-mail").locator(".field-error"), "Invalid email");
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    expect(callsTo("members.invite")).toEqual([]);

    await box.fill(person.email);
    await page.getByRole("button", { name: "Create invitation" }).click();
    await seeText(field("E-mail").locator(".field-error"), "already has an account");
    expect(callsTo("members.invite")).toHaveLength(1);
    expect(await page.getByRole("combobox", { name: "Role" }).getAttribute("aria-invalid")).toBe("false");
    await shoot(page, "43-invite-server-error");
  });

  it("origin: a missing name is refused with no call; an internal host by the SSRF guard, on the URL", async () => {
    await page.goto("/app/seller/data");
    const card = page.locator(".card", { hasText: "Connect an HTTPS API" });
    const name = card.getByPlaceholder("Live prices API");
    const address = card.getByRole("textbox", { name: "URL" });
    await address.fill("https://10.0.0.1/rows");
    await card.getByRole("button", { name: "Connect origin" }).click();
    await seeText(card.locator("label.field", { hasText: "Name" }).locator(".field-error"), "Too small");
    expect(callsTo("dataSources.createOrigin")).toEqual([]);

    await name.fill("Internal API");
    await card.getByRole("button", { name: "Connect origin" }).click();
    await seeText(card.locator("label.field", { hasText: "URL" }).locator(".field-error"), "must point to a public internet host");
    expect(callsTo("dataSources.createOrigin")).toHaveLength(1);
    expect(await address.getAttribute("aria-invalid")).toBe("true");
    expect(await name.getAttribute("aria-invalid")).toBe("false");
    expect(await card.getByRole("spinbutton", { name: "Timeout (ms)" }).getAttribute("aria-invalid")).toBe("false");
    await shoot(page, "44-origin-server-error");
  });

  it("API keys: a key needs a name; a cap of 0 is refused in the caps dialog with no call, an empty box is no cap", async () => {
    await page.goto("/app/api-keys");
    await page.getByRole("button", { name: "Create key" }).click();
    await seeText(field("Name").locator(".field-error"), "Too small");
    expect(callsTo("keys.create")).toEqual([]);
    await page.getByRole("textbox", { name: "Name" }).fill("Reporting job");
    await page.getByRole("button", { name: "Create key" }).click();
    await see(page.getByText("Reporting job, shown only now"));

    await page.getByRole("button", { name: "Spending caps" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Spending caps for Reporting job" });
    await dialog.getByRole("textbox", { name: "Per day (UTC)" }).fill("0");
    await dialog.getByRole("button", { name: "Save caps" }).click();
    await seeText(dialog.locator("label.field", { hasText: "Per day" }).locator(".field-error"), "Credits must be a number above 0");
    expect(callsTo("keys.setCaps")).toEqual([]);
    await shoot(page, "45-caps-client-error", { fullPage: false });

    await dialog.getByRole("textbox", { name: "Per day (UTC)" }).fill("");
    await dialog.getByRole("textbox", { name: "In total" }).fill("25");
    await dialog.getByRole("button", { name: "Save caps" }).click();
    await see(page.getByTestId("key-usage").getByText("of 25"));
    expect(callsTo("keys.setCaps")).toHaveLength(1);
  });

  it("disputes: a one-letter reason is refused with no call; an unknown transaction by the server, on the id", async () => {
    await page.goto("/app/disputes");
    const id = page.getByRole("textbox", { name: "Transaction id" });
    await id.fill("txn_not_mine");
    await page.getByLabel("What went wrong").fill("x");
    await page.getByRole("button", { name: "Open dispute" }).click();
    await seeText(field("What went wrong").locator(".field-error"), "Too small");
    expect(callsTo("disputes.open")).toEqual([]);

    await page.getByLabel("What went wrong").fill("I never bought this.");
    await page.getByRole("button", { name: "Open dispute" }).click();
    await seeText(field("Transaction id").locator(".field-error"), "No billed transaction txn_not_mine");
    expect(await page.getByLabel("What went wrong").getAttribute("aria-invalid")).toBe("false");
    await shoot(page, "46-dispute-server-error");
  });

  it("a product's price: one out of range is refused on its field with no call; a saved one is shown with its history", async () => {
    await page.goto("/app/seller/data");
    const upload = page.locator(".card", { hasText: "Upload a dataset" });
    await upload.getByLabel("File").setInputFiles({ name: "prices.csv", mimeType: "text/csv", buffer: Buffer.from("region,amount\nnorth,10\nsouth,20\n") });
    await upload.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("link", { name: "Create a product from it" }).click();
    await page.waitForURL("**/app/seller/products/new?source=*");
    // The address changes before the new page is drawn.
    await see(page.getByRole("button", { name: "Create product" }));
    await page.getByLabel("Name", { exact: true }).fill("Priced rows");
    await page.getByRole("button", { name: "Create product" }).click();
    await page.waitForURL(/created=true$/);

    const card = page.locator(".card", { hasText: "Pricing" });
    const box = card.getByRole("textbox", { name: "New price in USD" });
    await box.fill("20000");
    await card.getByRole("button", { name: "Set price" }).click();
    await seeText(card.locator("label.field", { hasText: "New price" }).locator(".field-error"), "A price is 0 (free) or between $0.0001 and $10,000");
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    expect(callsTo("products.setPrice")).toEqual([]);
    await shoot(page, "47-price-client-error");

    await box.fill("0.30");
    await card.getByRole("button", { name: "Set price" }).click();
    await see(card.getByText("$0.30 · 0.6 credits").first());
    await see(card.getByText("Price history (2)"));
    expect(callsTo("products.setPrice")).toHaveLength(1);
    expect(await box.getAttribute("aria-invalid")).toBe("false");
  });

  it("listing details: tags are split from their box; an overlong tag is refused on the box with no call", async () => {
    const card = page.locator(".card", { hasText: "Listing details" });
    const tags = card.getByRole("textbox", { name: "Tags" });
    await tags.fill(`north, ${"x".repeat(41)}`);
    await card.getByRole("button", { name: "Save details" }).click();
    await seeText(card.locator("label.field", { hasText: "Tags" }).locator(".field-error"), "Tag 2:");
    expect(callsTo("products.update")).toEqual([]);

    await tags.fill("north,  south ,");
    await card.getByLabel("Top Questions").fill("Sales by region?\n\nWhich region sells most?");
    await card.getByRole("button", { name: "Save details" }).click();
    await see(card.getByText("Saved."));
    expect(callsTo("products.update")).toHaveLength(1);
    await page.reload();
    expect(await page.locator(".card", { hasText: "Listing details" }).getByRole("textbox", { name: "Tags" }).inputValue()).toBe("north, south");
    expect(await page.locator(".card", { hasText: "Listing details" }).getByLabel("Top Questions").inputValue()).toBe("Sales by region?\nWhich region sells most?");
  });

  it("new product: a one-letter name is refused with no call; a spec the data refuses by the server, on the spec section", async () => {
    await page.goto("/app/seller/products/new");
    const made = callsTo("products.create").length;
    // Found by its label's own text: the error joins the label's text once shown.
    const name = page.locator("label.field", { has: page.locator(".field-label", { hasText: /^Name$/ }) }).locator("input");
    await name.fill("x");
    await page.getByRole("button", { name: "Create product" }).click();
    await seeText(field("Name").locator(".field-error"), "Too small");
    expect(callsTo("products.create")).toHaveLength(made);

    await name.fill("Unknown column");
    await page.getByLabel("Query spec (JSON)").fill(JSON.stringify({ columns: [{ column: "no_such_column" }] }));
    await page.getByRole("button", { name: "Create product" }).click();
    const query = page.locator(".card", { hasText: "2. The query" });
    await seeText(query.getByRole("alert"), "no_such_column");
    expect(callsTo("products.create")).toHaveLength(made + 1);
    expect(await name.getAttribute("aria-invalid")).toBe("false");
    await shoot(page, "48-new-product-spec-error");
  });
});

describe("after all that", () => {
  it("showed no script errors and no serious or critical axe findings", () => {
    expect(errors).toEqual([]);
    const report = axeReport();
    expect(report.blocking.map((f) => `${f.shot}: ${f.id} (${f.impact}) ${f.nodes.join(" ")}`)).toEqual([]);
  });
});
