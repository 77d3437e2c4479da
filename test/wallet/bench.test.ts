import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { benchWallet } from "../../src/bench/wallet";

it("benchmarks 2000 charges and keeps the books right", async () => {
  const res = await benchWallet.fetch(
    new Request("http://bench/__bench/wallet/charge?n=2000&concurrency=64", { method: "POST" }),
    env,
  );
  expect(res.status).toBe(200);
  const body = (await res.json()) as { n: number; concurrency: number; ms: number; opsPerSec: number; balanceOk: boolean };
  console.log(`wallet charge bench: ${JSON.stringify(body)}`);
  expect(body).toMatchObject({ n: 2000, concurrency: 64, balanceOk: true });
  expect(body.opsPerSec).toBeGreaterThan(0);
});
