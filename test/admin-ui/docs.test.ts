/**
 * The REST reference (/v1/docs) in headless Chromium against wrangler dev:
 * Scalar loads from the site's own assets under the page's policy, draws
 * every operation of the generated document, fetches nothing from another
 * origin, and "Test request" calls this API. Screenshot in test-results/admin-ui/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LAPTOP, launch, shoot } from "./browser";

const url = inject("tesseraUrl");

let browser: Browser;
let page: Page;
const violations: string[] = [];
const elsewhere: string[] = [];

beforeAll(async () => {
  browser = await launch();
  const context = await browser.newContext({ viewport: LAPTOP, baseURL: url });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy/.test(m.text())) violations.push(m.text());
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(url)) elsewhere.push(r.url());
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("the REST reference", () => {
  it("draws every operation of /v1/openapi.json under its own policy, from this origin only", async () => {
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary: string }>> };
    const summaries = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.summary));
    expect(summaries.length).toBe(14);

    await page.goto("/v1/docs", { waitUntil: "networkidle" });
    await expect.poll(() => page.getByRole("heading", { name: "Tessera REST API" }).count()).toBeGreaterThan(0);
    for (const summary of summaries) expect(await page.getByText(summary, { exact: true }).count(), summary).toBeGreaterThan(0);
    await shoot(page, "rest-reference", { laptopOnly: true, fullPage: false });

    // The one blocked call is zod's probe for `new Function` inside Scalar's bundle, which falls back without it.
    expect(violations.filter((v) => !v.includes("'unsafe-eval'"))).toEqual([]);
    expect(elsewhere).toEqual([]);
  });

  it("sends a test request to this API from the page", async () => {
    await page.goto("about:blank");
    await page.goto("/v1/docs#tag/service/GET/health", { waitUntil: "networkidle" });
    await page.getByRole("button", { name: /test request/i }).last().click();
    const answer = page.waitForResponse((r) => r.url() === `${url}/health`);
    await page.getByRole("button", { name: /send/i }).first().click();
    expect((await answer).status()).toBe(200);
    expect(elsewhere).toEqual([]);
  });
});
