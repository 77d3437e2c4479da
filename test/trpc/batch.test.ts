import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTesseraClient } from "../../client/src";
import { MAX_BATCH_CALLS } from "../../src/trpc/batch";
import { BASE, rest, workerFetch } from "../harness";

/** One raw batch request of `n` calls to `path`, as any HTTP client could send it. */
function batchOf(n: number, path: string, input: unknown = {}) {
  const paths = Array.from({ length: n }, () => path).join(",");
  const inputs = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, input]));
  return { paths, inputs };
}

describe("tRPC batches are bounded", () => {
  it("answers a batch of up to the cap", async () => {
    expect(MAX_BATCH_CALLS).toBe(10);
    const { paths, inputs } = batchOf(MAX_BATCH_CALLS, "members.me");
    const res = await rest(`/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(MAX_BATCH_CALLS);
  });

  it("refuses a bigger batch whole, with a 400 that says the limit, before running any call", async () => {
    const { paths, inputs } = batchOf(500, "members.me");
    const res = await rest(`/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
    expect(res.status).toBe(400);
    const error = Array.isArray(res.body) ? res.body[0].error : res.body.error;
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(error.data.details).toEqual({ maxBatchCalls: 10 });
    expect(error.message).toBe(
      "One request may batch at most 10 calls; send the rest in further requests (the typed client splits batches by itself).",
    );
  });

  it("refuses 50 mutations in one request without running a single one", async () => {
    // Sign-ins would cost 50 password hashes; sign-ups leave something to look for.
    const name = `Batch probe ${crypto.randomUUID()}`;
    const { paths, inputs } = batchOf(50, "companies.signUp", { name });
    const res = await rest(`/trpc/${paths}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tessera-csrf": "1", "cf-connecting-ip": "10.250.0.1" },
      body: JSON.stringify(inputs),
    });
    expect(res.status).toBe(400);
    const error = Array.isArray(res.body) ? res.body[0].error : res.body.error;
    expect(error.data.details).toEqual({ maxBatchCalls: 10 });
    const made = await env.DB.prepare("SELECT count(*) AS n FROM companies WHERE name = ?").bind(name).first<{ n: number }>();
    expect(made?.n).toBe(0);
  });

  it("the typed client splits a larger batch into requests of at most the cap", async () => {
    const sizes: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      const url = new URL(new Request(input, init).url);
      sizes.push(decodeURIComponent(url.pathname.slice("/trpc/".length)).split(",").length);
      return workerFetch(input, init);
    };
    const api = createTesseraClient(BASE, { fetch: counting });
    const answers = await Promise.all(Array.from({ length: 25 }, () => api.members.me.query()));
    expect(answers).toEqual(Array.from({ length: 25 }, () => null));
    expect(sizes).toEqual([10, 10, 5]);
  });
});
