import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
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

/**
 * Saves the page at laptop width and, unless `laptopOnly`, at phone width
 * too, and checks it with axe-core at each width it is shot at.
 */
export async function shoot(page: Page, name: string, opts: { laptopOnly?: boolean; fullPage?: boolean } = {}): Promise<void> {
  const fullPage = opts.fullPage ?? true;
  // A full-page shot of a scrolled page stitches the sticky top bar into the middle.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.laptop.png`), fullPage });
  await checkAccessibility(page, `${name}.laptop`);
  if (opts.laptopOnly) return;
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(SHOTS, `${name}.phone.png`), fullPage });
  await checkAccessibility(page, `${name}.phone`);
  await page.setViewportSize(LAPTOP);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeFinding {
  shot: string;
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Every page's axe findings of this run, by impact; the suite's last test asserts no serious or critical one. */
export const axeFindings: AxeFinding[] = [];
export const axePages: string[] = [];

/**
 * Runs axe-core (WCAG 2.x A and AA rules) in the page as it is now. It is
 * evaluated over the DevTools protocol, which the admin's CSP doesn't
 * govern, so the page under test keeps its real CSP.
 */
export async function checkAccessibility(page: Page, shot: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? "minor", help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  axePages.push(shot);
  for (const v of violations) axeFindings.push({ shot, ...v });
}

/** Writes the findings to test-results/admin-ui/axe.json and answers the serious and critical ones. */
export function axeReport(): { pages: number; byImpact: Record<string, number>; blocking: AxeFinding[] } {
  const byImpact: Record<string, number> = {};
  for (const f of axeFindings) byImpact[f.impact] = (byImpact[f.impact] ?? 0) + f.nodes.length;
  writeFileSync(path.join(SHOTS, "axe.json"), JSON.stringify({ pages: axePages, byImpact, findings: axeFindings }, null, 2));
  return { pages: axePages.length, byImpact, blocking: axeFindings.filter((f) => f.impact === "serious" || f.impact === "critical") };
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

/**
 * A tRPC mutation from Node, for what no page does (minting the first
 * platform admin key). The browser tests don't import the typed client:
 * it brings the worker's types, which need the Workers runtime's.
 */
export async function call<T>(url: string, procedure: string, input: unknown, apiKey?: string): Promise<T> {
  const res = await fetch(`${url}/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(apiKey ? { "x-api-key": apiKey } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${procedure}: ${res.status} ${JSON.stringify(body.error)}`);
  return body.result.data;
}
