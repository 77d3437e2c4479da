import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { errorCode } from "../../client/src";
import { productionClient, productionFetch, REFUSED, refusedText } from "../ssrf";
import { h } from "../harness";

/**
 * A seller must not get Tessera to call internal hosts for them: not by
 * registering an origin (checked at creation), and not through an origin row
 * stored before the rules (checked again at call time, where a refused host
 * is never contacted). The worker runs as deployed: ALLOW_INSECURE_ORIGINS off.
 */
describe("dataSources.createOrigin refuses internal destinations", () => {
  let api: ReturnType<typeof productionClient>;
  beforeAll(async () => {
    api = productionClient((await h.seller({ name: "Probing Seller", verified: false })).key);
  });

  it.each(REFUSED)("%s", async (url) => {
    const error = await api.dataSources.createOrigin.mutate({ name: "Internal", url }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe("BAD_REQUEST");
    expect((error as Error).message).toBe(refusedText("origin URL"));
  });

  it("stored nothing, and still registers a public origin", async () => {
    expect((await api.dataSources.list.query()).items).toEqual([]);
    const made = await api.dataSources.createOrigin.mutate({ name: "Public", url: "https://data.example.com/rows" });
    expect(made.url).toBe("https://data.example.com/rows");
  });

  it("ALLOW_INSECURE_ORIGINS (local tests only) lets in this machine, nothing else internal", async () => {
    const s = await h.seller({ name: "Local Seller", verified: false });
    const local = REFUSED.filter(([, , loopback]) => loopback).map(([url]) => url);
    const internal = REFUSED.filter(([, , loopback]) => !loopback).map(([url]) => url);
    for (const url of local) await s.api.dataSources.createOrigin.mutate({ name: "Local", url });
    for (const url of internal) {
      const error = await s.api.dataSources.createOrigin.mutate({ name: "Internal", url }).catch((e: unknown) => e);
      expect([url, (error as Error).message]).toEqual([url, refusedText("origin URL")]);
    }
    expect((await s.api.dataSources.list.query()).items).toHaveLength(local.length);
  });
});

describe("an origin row stored with an internal URL is refused at call time", () => {
  let world: { sellerKey: string; buyerKey: string; buyerId: string; sellerId: string };
  beforeAll(async () => {
    const s = await h.seller({ name: "Old Row Seller" });
    const b = await h.buyer({ credits: 1000, name: "Old Row Buyer" });
    world = { sellerKey: s.key, buyerKey: b.key, sellerId: s.company.id, buyerId: b.company.id };
  });

  /** A product over an origin row as an older Tessera could have stored it (plain secret, unchecked URL). */
  async function productOver(url: string) {
    const sourceId = `src_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
    await env.DB.prepare(
      "INSERT INTO data_sources (id, company_id, kind, name, url, secret, timeout_ms, created_at) VALUES (?, ?, 'origin', 'Old', ?, 'tos_legacy', 300, ?)",
    )
      .bind(sourceId, world.sellerId, url, Date.now())
      .run();
    const product = await productionClient(world.sellerKey).products.create.mutate({
      type: "endpoint",
      name: "Old origin",
      description: "Rows from an origin stored long ago.",
      category: "Live",
      dataSourceId: sourceId,
      spec: { filters: [] },
      priceUsd: "1",
      sellInMarketplace: true,
    });
    const key = (await productionClient(world.buyerKey).marketplace.endpoints.key.mutate({ id: product.id })).secret!;
    return { productId: product.id, key };
  }

  it.each(REFUSED)("%s: the buyer's call and the seller's try both get the fixed refusal, unbilled", async (url) => {
    const { productId, key } = await productOver(url);
    const before = (await productionClient(world.buyerKey).credits.balance.query()).availableCredits;

    const res = await productionFetch(`http://tessera.test/v1/endpoints/${productId}`, { headers: { "x-api-key": key } });
    const body = (await res.json()) as any;
    expect([res.status, body.error.code, body.error.message]).toEqual([502, "ORIGIN_ERROR", refusedText("seller's origin URL")]);
    expect(body.billing.billed).toBe(false);
    expect((await productionClient(world.buyerKey).credits.balance.query()).availableCredits).toBe(before);

    const tried = await productionClient(world.sellerKey).products.try.query({ id: productId, params: {} }).catch((e: unknown) => e);
    expect([errorCode(tried), (tried as Error).message]).toEqual(["ORIGIN_ERROR", refusedText("seller's origin URL")]);
  });
});
