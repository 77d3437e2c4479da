import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Screenshots land here (gitignored); CI keeps them as artifacts. */
export const SHOTS = path.resolve(import.meta.dirname, "../../test-results/admin-ui");

export async function launch(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** Saves the page at laptop width and, unless `laptopOnly`, at phone width too. */
export async function shoot(page: Page, name: string, opts: { laptopOnly?: boolean; fullPage?: boolean } = {}): Promise<void> {
  const fullPage = opts.fullPage ?? true;
  // A full-page shot of a scrolled page stitches the sticky top bar into the middle.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.laptop.png`), fullPage });
  if (opts.laptopOnly) return;
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(SHOTS, `${name}.phone.png`), fullPage });
  await page.setViewportSize(LAPTOP);
}

/**
 * Collects what should never happen: an uncaught script error, a console
 * error of the admin's own, a 5xx. A 4xx is an answer the admin shows as a
 * message (Chrome logs each as "Failed to load resource"), so it is not one.
 */
export function watchErrors(page: Page, errors: string[]): void {
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`console: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 500) errors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
}

let n = 0;
export function email(who: string): string {
  n += 1;
  return `${who}.${Date.now()}.${n}@example.com`;
}

export const PASSWORD = "a long test password";

/** Rows for the seller's upload: sales per region and month. */
export function salesCsv(): string {
  const regions = ["north", "south", "east", "west"];
  const lines = ["region,month,amount,orders"];
  for (let m = 1; m <= 12; m++) {
    for (const [i, r] of regions.entries()) lines.push(`${r},2025-${String(m).padStart(2, "0")},${(100 + i * 37 + m * 11).toFixed(2)},${3 + ((m * (i + 1)) % 9)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Waits until the (first) element is visible: vitest's expect has no locator matchers. */
export async function see(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout });
}

/** Waits until the (first) element's text contains `text`. */
export async function seeText(locator: Locator, text: string, timeout = 10_000): Promise<void> {
  await expect.poll(() => locator.first().innerText(), { timeout }).toContain(text);
}

export async function seeCount(locator: Locator, n: number, timeout = 10_000): Promise<void> {
  await expect.poll(() => locator.count(), { timeout }).toBe(n);
}
