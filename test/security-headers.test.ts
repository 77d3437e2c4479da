import { describe, expect, it } from "vitest";
import headersFile from "../client/public/_headers?raw";
import { BASE, workerFetch } from "./harness";

/** The headers every response carries, as the admin's static files get them (client/public/_headers). */
function staticAssetHeaders(): Map<string, string> {
  const lines = headersFile.split("\n").filter((line) => line.trim() && !line.trim().startsWith("#"));
  expect(lines[0]).toBe("/*");
  return new Map(
    lines.slice(1).map((line) => {
      const at = line.indexOf(":");
      return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()];
    }),
  );
}

const expected = staticAssetHeaders();

const routes: [string, string, RequestInit?][] = [
  ["health", "/health"],
  ["tRPC query", "/trpc/billing.catalogue"],
  ["tRPC error", "/trpc/credits.balance"],
  ["v1 metered, no key", "/v1/endpoints/ep_nope"],
  ["v1 OpenAPI", "/v1/openapi.json"],
  ["companies, no key", "/companies/co_nope/credits"],
  ["webhooks, unsigned", "/webhooks/stripe", { method: "POST", body: "{}" }],
  ["a 404", "/no/such/route"],
];

describe("security headers", () => {
  it("the static assets' _headers names CSP, HSTS, frame and referrer policies and nosniff", () => {
    expect(expected.get("content-security-policy")).toContain("default-src 'self'");
    expect(expected.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(expected.get("content-security-policy")).toContain("script-src 'self'");
    expect(expected.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    expect(expected.get("x-frame-options")).toBe("DENY");
    expect(expected.get("referrer-policy")).toBe("no-referrer");
    expect(expected.get("x-content-type-options")).toBe("nosniff");
  });

  it.each(routes)("%s carries exactly the headers the static assets get", async (_, path, init) => {
    const res = await workerFetch(`${BASE}${path}`, init);
    await res.body?.cancel();
    for (const [name, value] of expected) expect([path, name, res.headers.get(name)]).toEqual([path, name, value]);
  });

  it("/v1/docs has its own policy: scripts and requests from this origin only, nothing framed, no forms", async () => {
    const res = await workerFetch(`${BASE}/v1/docs`);
    await res.body?.cancel();
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    for (const [name, value] of expected) if (name !== "content-security-policy") expect(res.headers.get(name)).toBe(value);
  });
});
