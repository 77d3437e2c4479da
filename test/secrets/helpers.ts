import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { verifyOriginSignature } from "../../src/data";
import { h, BASE, type Company, workerFetch } from "../harness";

/** A listed endpoint over the test origin's /signed path, which echoes the signature and request target. */
export async function signedOriginEndpoint() {
  const s = await h.seller();
  const origin = await s.api.dataSources.createOrigin.mutate({ name: "Signed", url: `${env.TEST_ORIGIN_URL}/signed` });
  const endpointId = await endpointOver(s, origin.id);
  const buyer = await h.buyer({ credits: 100 });
  const key = (await buyer.api.marketplace.endpoints.key.mutate({ id: endpointId })).secret!;
  return { seller: s, origin, endpointId, buyer, key };
}

export async function endpointOver(owner: Company, dataSourceId: string): Promise<string> {
  const endpoint = await h.endpoint(owner, {
    name: "Signed rows",
    description: "Echoes what the origin received.",
    category: "Live",
    dataSourceId,
    spec: { filters: [] },
    priceUsd: "1",
    sellInMarketplace: true,
  });
  return endpoint.id;
}

/** Calls the endpoint and checks, as the seller would, that the call was signed with `secret`. */
export async function expectSignedWith(endpointId: string, key: string, secret: string, fetcher: typeof fetch = workerFetch) {
  const res = await fetcher(`${BASE}/v1/endpoints/${endpointId}`, { headers: { "x-api-key": key } });
  const body = (await res.json()) as any;
  expect([res.status, body.error]).toEqual([200, undefined]);
  const { signature, target } = (body.data as { signature: string; target: string }[])[0]!;
  expect(await verifyOriginSignature(secret, signature, { method: "GET", pathAndQuery: target })).toBe(true);
}

export async function storedOriginSecret(sourceId: string): Promise<string> {
  return (await env.DB.prepare("SELECT secret FROM data_sources WHERE id = ?").bind(sourceId).first<{ secret: string }>())!.secret;
}

export async function storedAlertSecret(companyId: string): Promise<string> {
  const row = await env.DB.prepare("SELECT signing_secret AS secret FROM low_balance_alert_settings WHERE company_id = ?").bind(companyId).first<{ secret: string }>();
  return row!.secret;
}
