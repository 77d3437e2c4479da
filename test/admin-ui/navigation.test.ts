/**
 * The admin's router and forms in Chromium: filters and pages live in the
 * address (a reload or a shared link shows the same view), back and forward
 * walk them, a signed-out deep link comes back after signing in, and forms
 * show client- and server-side refusals on the field they concern.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { email, LAPTOP, launch, PASSWORD, see, seeText, SHOTS, watchErrors } from "./browser";

const url = inject("tesseraUrl");

let browser: Browser;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
const person = { email: email("router"), company: "Router Test Buyers" };

const focused = () => page.evaluate(() => `${document.activeElement?.tagName.toLowerCase()}:${document.activeElement?.textContent ?? ""}`);

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: LAPTOP, baseURL: url });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  watchErrors(page, errors);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") await page?.screenshot({ path: `${SHOTS}/FAILED-nav-${ctx.task.name.replace(/\W+/g, "-")}.png`, fullPage: true }).catch(() => {});
});

afterAll(async () => {
  await browser?.close();
});

describe("the router", () => {
  it("signs a buyer up", async () => {
    await page.goto("/app/signup");
    await page.getByLabel("Company name").fill(person.company);
    await page.getByLabel("Your name").fill("Rory Router");
    await page.getByLabel("E-mail").fill(person.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/app/marketplace");
  });

  it("keeps the transactions' filters in the address, through a reload", async () => {
    await page.goto("/app/transactions");
    await see(page.getByText("No transactions yet"));
    await page.getByLabel("charge").check();
    await page.getByLabel("From").fill("2025-01-02");
    await expect.poll(() => new URL(page.url()).searchParams.get("from")).toBe("2025-01-02");
    expect(JSON.parse(new URL(page.url()).searchParams.get("kinds")!)).toEqual(["charge"]);
    await see(page.getByText("No transactions match"));

    await page.reload();
    await see(page.getByText("No transactions match"));
    expect(await page.getByLabel("charge").isChecked()).toBe(true);
    expect(await page.getByLabel("refund").isChecked()).toBe(false);
    expect(await page.getByLabel("From").inputValue()).toBe("2025-01-02");

    // A hand-edited address: an unknown kind and a bad date are dropped, the good date kept.
    await page.goto(`/app/transactions?kinds=${encodeURIComponent('["charge","bogus"]')}&from=yesterday&to=2025-02-03`);
    await see(page.getByText("No transactions match"));
    expect(await page.getByLabel("charge").isChecked()).toBe(false);
    expect(await page.getByLabel("From").inputValue()).toBe("");
    expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe("2025-02-03");
  });

  it("walks searches and pages with back and forward, focusing each new page's heading", async () => {
    const box = page.getByLabel("Search the marketplace");
    await page.goto("/app/marketplace");
    for (const words of ["alpha", "beta"]) {
      await box.fill(words);
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(words);
    }
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("alpha");
    await expect.poll(() => box.inputValue()).toBe("alpha");
    await page.goForward();
    await expect.poll(() => box.inputValue()).toBe("beta");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Transactions" }).click();
    await page.waitForURL("**/app/transactions");
    await expect.poll(focused).toBe("h1:Transactions");
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Transactions" }).getAttribute("class")).toContain("active");
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("beta");
    await expect.poll(focused).toBe("h1:Marketplace");
    await expect.poll(() => box.inputValue()).toBe("beta");
  });

  it("sends a signed-out deep link through sign-in and back, filters and all", async () => {
    const other = await browser.newContext({ viewport: LAPTOP, baseURL: url });
    const fresh = await other.newPage();
    watchErrors(fresh, errors);
    await fresh.goto(`/app/transactions?kinds=${encodeURIComponent('["refund"]')}`);
    await fresh.waitForURL("**/app/signin?next=*");
    await fresh.getByLabel("E-mail").fill(person.email);
    await fresh.getByLabel("Password").fill(PASSWORD);
    await fresh.getByRole("button", { name: "Sign in" }).click();
    await fresh.waitForURL("**/app/transactions?kinds=*");
    await see(fresh.getByText("No transactions match"));
    expect(await fresh.getByLabel("refund").isChecked()).toBe(true);
    // An unknown page under /app goes home.
    await fresh.goto("/app/no-such-page");
    await fresh.waitForURL("**/app/marketplace");
    await seeText(fresh.locator("main h1"), "Marketplace");
    await other.close();
  });
});

describe("forms", () => {
  let form: Page;
  const signUpCalls: string[] = [];
  const field = (label: string) => form.locator("label.field", { hasText: label });

  beforeAll(async () => {
    const other = await browser.newContext({ viewport: LAPTOP, baseURL: url });
    other.setDefaultTimeout(10_000);
    form = await other.newPage();
    watchErrors(form, errors);
    form.on("request", (r) => {
      if (r.url().includes("members.signUp")) signUpCalls.push(r.url());
    });
    await form.goto("/app/signup");
    await form.getByLabel("Company name").fill("Form Test Co");
    await form.getByLabel("Your name").fill("Fern Form");
  });

  it("shows the schema's refusal on its field without asking the server", async () => {
    await form.getByLabel("E-mail").fill("not an e-mail");
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Create account" }).click();
    await seeText(field("E-mail").locator(".field-error"), "Invalid email");
    expect(await form.getByLabel("E-mail").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Password").getAttribute("aria-invalid")).toBe("false");
    await form.screenshot({ path: `${SHOTS}/40-form-client-error.laptop.png` });
    expect(signUpCalls).toEqual([]);
  });

  it("shows the server's refusals on the field they name: a weak password, then a taken e-mail", async () => {
    await form.getByLabel("E-mail").fill(email("form"));
    await form.getByLabel("Password").fill("aaaaaaaaaa");
    await form.getByRole("button", { name: "Create account" }).click();
    await seeText(field("Password").locator(".field-error"), "too easy to guess");
    expect(signUpCalls).toHaveLength(1);
    expect(await form.getByLabel("E-mail").getAttribute("aria-invalid")).toBe("false");
    // The refusal took focus to the field, for a keyboard or a screen reader.
    expect(await form.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe("password");
    await form.screenshot({ path: `${SHOTS}/41-form-server-error.laptop.png` });

    await form.getByLabel("E-mail").fill(person.email);
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Create account" }).click();
    await seeText(field("E-mail").locator(".field-error"), "already has an account");
    expect(await form.getByLabel("Password").getAttribute("aria-invalid")).toBe("false");
    expect(new URL(form.url()).pathname).toBe("/app/signup");
  });
});

describe("billing forms on the procedures' schemas (src/billing/schema.ts)", () => {
  const calls: string[] = [];
  const field = (label: string) => page.locator("label.field", { hasText: label });

  beforeAll(() => {
    page.on("request", (r) => {
      if (/billing\.(checkout|lowBalanceAlert\.set)/.test(r.url())) calls.push(new URL(r.url()).pathname);
    });
  });

  it("refuses on-demand credits below the minimum on their field, before any checkout starts", async () => {
    await page.goto("/app/credits/buy");
    const credits = page.getByLabel("Credits (whole, at least 10)");
    await credits.fill("5");
    await page.getByRole("button", { name: /^Buy/ }).first().click();
    await seeText(field("Credits (whole").locator(".field-error"), "Buy at least 10 credits");
    expect(await credits.getAttribute("aria-invalid")).toBe("true");
    expect(calls).toEqual([]);
  });

  it("shows the alert form's schema refusal without a call, then the server's refusal of the URL on its field", async () => {
    await page.goto("/app/settings");
    const threshold = page.getByLabel("Warn me below (credits)");
    await threshold.fill("lots");
    await page.getByRole("button", { name: "Save alert" }).click();
    await seeText(field("Warn me below").locator(".field-error"), "Credits must be a number above 0");
    expect(calls).toEqual([]);

    await threshold.fill("5");
    await page.getByLabel("Webhook URL (optional)").fill("https://user:pw@example.com/hook");
    await page.getByRole("button", { name: "Save alert" }).click();
    await seeText(field("Webhook URL").locator(".field-error"), "must not contain credentials");
    expect(calls).toEqual(["/trpc/billing.lowBalanceAlert.set"]);
    expect(await threshold.getAttribute("aria-invalid")).toBe("false");
    await page.screenshot({ path: `${SHOTS}/42-alert-server-error.laptop.png` });
  });
});

describe("after all that", () => {
  it("showed no script errors", () => {
    expect(errors).toEqual([]);
  });
});
