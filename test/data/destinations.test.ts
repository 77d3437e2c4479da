import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callOrigin, checkOriginUrl, type OriginSource } from "../../src/data";
import { TesseraError } from "../../src/errors";
import { ACCEPTED, REFUSED, refusedText } from "../ssrf";

const source = (url: string): OriginSource => ({
  id: "src_ssrf",
  companyId: "co_seller",
  kind: "origin",
  name: "Seller API",
  url,
  secret: "tos_plain",
  timeoutMs: 1000,
  createdAt: 0,
});

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("what the URL parser makes of each spelling (workerd)", () => {
  it.each(REFUSED)("%s has host %s", (url, host) => {
    expect(new URL(url).hostname).toBe(host);
  });
});

describe("checkOriginUrl: destinations", () => {
  it.each(REFUSED)("refuses %s with the one fixed message", (url) => {
    const error = refusal(() => checkOriginUrl(url));
    expect(error).toBeInstanceOf(TesseraError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: refusedText("origin URL") });
  });

  it.each(REFUSED)("with ALLOW_INSECURE_ORIGINS, %s is allowed only if it is this machine", (url, _host, loopback) => {
    const error = refusal(() => checkOriginUrl(url, { allowInsecureOrigins: true }));
    if (loopback) expect(error).toBeUndefined();
    else expect(error).toMatchObject({ code: "BAD_REQUEST", message: refusedText("origin URL") });
  });

  it.each(ACCEPTED)("accepts the public %s", (url) => {
    expect(checkOriginUrl(url).href).toBe(new URL(url).href);
  });

  it("plain http stays refused for public hosts, and is allowed for this machine only with the switch", () => {
    expect(refusal(() => checkOriginUrl("http://data.example.com/rows", { allowInsecureOrigins: true }))).toMatchObject({ message: /must use https/ });
    expect(refusal(() => checkOriginUrl("http://127.0.0.1:8787/rows"))).toMatchObject({ message: refusedText("origin URL") });
    expect(checkOriginUrl("http://127.1:8787/rows", { allowInsecureOrigins: true }).href).toBe("http://127.0.0.1:8787/rows");
    expect(refusal(() => checkOriginUrl("ftp://data.example.com/rows"))).toMatchObject({ message: /must use https/ });
  });
});

describe("callOrigin at call time", () => {
  // A stored row may predate the rules: it must never be contacted, and a
  // host that answers 404 must look exactly like one that isn't there.
  it.each(REFUSED)("never contacts %s, and a 404 and no answer read the same", async (url) => {
    const contacted: string[] = [];
    const answers404 = (req: Request) => (contacted.push(req.url), new Response("not here", { status: 404 }));
    const unreachable = (req: Request): Response => {
      contacted.push(req.url);
      throw new TypeError("connection refused");
    };
    const errors = await Promise.all(
      [answers404, unreachable].map((fetcher) => callOrigin(fetcher, source(url), {}, { requestId: "r", secrets: env }).catch((e: unknown) => e)),
    );
    expect(contacted).toEqual([]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TesseraError);
      expect(error).toMatchObject({ code: "ORIGIN_ERROR", message: refusedText("seller's origin URL") });
    }
  });

  it("still calls a public origin", async () => {
    const result = await callOrigin(() => Response.json({ rows: [{ a: 1 }] }), source("https://data.example.com/rows"), {}, { requestId: "r", secrets: env });
    expect(result.rows).toEqual([{ a: 1 }]);
  });
});
