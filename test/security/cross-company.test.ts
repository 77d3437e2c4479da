/**
 * Every procedure and route that takes an id of something a company owns,
 * called by another company with that id (test/harness/cross-company.ts).
 */
import { runCrossCompanyTests } from "../harness/cross-company";
import { h, drained, rest, type Company } from "../harness";

async function world() {
  const { seller: owner, source, endpoint, buyer, key } = await h.listedEndpoint({ rows: 10, buyerCredits: 100 });
  const draft = await h.endpoint(owner, { name: "Draft cities", dataSourceId: source.id });
  const asset = await h.asset(owner, { description: "Sum of all cities.", category: "Demographics", dataSourceId: source.id, sellInMarketplace: true });
  const spare = await h.dataset(owner.company.id, h.citiesCsv(3), "Spare");
  const upload = (await rest("/v1/datasets/uploads?name=Parts&format=csv", { method: "POST", key: owner.key })).body.data as { id: string };
  const ownerKey = await owner.api.keys.create.mutate({ name: "Second key" });

  // The buyer's own things: a call it could dispute, a purchase, an order, an endpoint key.
  const call = await rest(`/v1/endpoints/${endpoint.id}?page_size=1`, { key });
  const purchase = (await buyer.api.marketplace.process.mutate({ id: asset.id, params: {} })).purchase;
  await drained(buyer.company.id);
  const dispute = await buyer.api.disputes.open.mutate({ requestId: call.body.billing.request_id, reason: "Stale rows." });
  const { orderId } = await buyer.api.billing.checkout.mutate({ kind: "on_demand", credits: 10 });
  const [buyerKey] = (await buyer.api.marketplace.endpoints.keys.query()).items;
  const [customer] = (await owner.api.products.customers.query({ id: endpoint.id })).items;

  // One company that is both: a verified seller that buys.
  const other = await h.seller({ name: "Rival Data", buyer: true });
  return { owner, buyer, other, source, spare, upload, endpoint, draft, asset, ownerKey, purchase, dispute, orderId, buyerKey: buyerKey!, customer: customer! };
}
type World = Awaited<ReturnType<typeof world>>;

/** The same call as the owner and as the other company, for ids the seller owns. */
const asSeller = (name: string, call: (as: Company, w: World) => Promise<unknown>) => ({
  name,
  other: (w: World) => call(w.other, w),
  own: (w: World) => call(w.owner, w),
});
/** The same, for ids the buyer owns. */
const asBuyer = (name: string, call: (as: Company, w: World) => Promise<unknown>) => ({
  name,
  other: (w: World) => call(w.other, w),
  own: (w: World) => call(w.buyer, w),
});
const restAs = (name: string, who: "owner" | "buyer", call: (key: string, w: World) => Promise<unknown>) => ({
  name,
  other: (w: World) => call(w.other.key, w),
  own: (w: World) => call(w[who].key, w),
});

runCrossCompanyTests("another company's ids", world, [
  // A seller's products (the draft is not listed, so nobody else may see it).
  asSeller("products.get", (as, w) => as.api.products.get.query({ id: w.endpoint.id })),
  asSeller("products.update", (as, w) => as.api.products.update.mutate({ id: w.endpoint.id, description: "Edited." })),
  asSeller("products.setPrice", (as, w) => as.api.products.setPrice.mutate({ id: w.endpoint.id, priceUsd: "0.50" })),
  asSeller("products.priceHistory", (as, w) => as.api.products.priceHistory.query({ id: w.endpoint.id })),
  asSeller("products.try", (as, w) => as.api.products.try.query({ id: w.endpoint.id, params: {} })),
  asSeller("products.customers", (as, w) => as.api.products.customers.query({ id: w.endpoint.id })),
  { ...asSeller("products.requestLog", async (as, w) => (await as.api.products.requestLog.query({ productId: w.endpoint.id })).items), filter: true },
  asSeller("marketplace.get (unlisted)", (as, w) => as.api.marketplace.get.query({ id: w.draft.id })),
  asSeller("marketplace.quote (unlisted)", (as, w) => as.api.marketplace.quote.query({ id: w.draft.id })),
  asSeller("products.create on another's data source", (as, w) => h.endpoint(as, { name: "Copy", dataSourceId: w.source.id })),
  // A seller's data sources, by tRPC and REST.
  asSeller("dataSources.get", (as, w) => as.api.dataSources.get.query({ id: w.source.id })),
  asSeller("dataSources.rows", (as, w) => as.api.dataSources.rows.query({ id: w.source.id })),
  restAs("GET /v1/datasets/{datasetId}", "owner", (key, w) => rest(`/v1/datasets/${w.source.id}`, { key })),
  restAs("PUT /v1/datasets/{datasetId}/parts/{part}", "owner", (key, w) => rest(`/v1/datasets/${w.upload.id}/parts/1`, { method: "PUT", key, body: "id,city\n1,Oslo\n" })),
  restAs("POST /v1/datasets/{datasetId}/complete", "owner", (key, w) => rest(`/v1/datasets/${w.upload.id}/complete`, { method: "POST", key })),
  asSeller("dataSources.delete", (as, w) => as.api.dataSources.delete.mutate({ id: w.spare.id })),
  // A company's keys and records.
  asSeller("keys.revoke", (as, w) => as.api.keys.revoke.mutate({ id: w.ownerKey.id })),
  restAs("GET /companies/{companyId}/credits", "buyer", (key, w) => rest(`/companies/${w.buyer.company.id}/credits`, { key })),
  restAs("GET /companies/{companyId}/earnings", "owner", (key, w) => rest(`/companies/${w.owner.company.id}/earnings`, { key })),
  // A buyer's purchases, orders, disputes and keys.
  asBuyer("marketplace.purchase", (as, w) => as.api.marketplace.purchase.query({ id: w.purchase.id })),
  asBuyer("billing.order", (as, w) => as.api.billing.order.query({ id: w.orderId })),
  asBuyer("disputes.get", (as, w) => as.api.disputes.get.query({ id: w.dispute.id })),
  asSeller("products.revokeCustomerKey", (as, w) => as.api.products.revokeCustomerKey.mutate({ keyId: w.customer.id })),
  asBuyer("marketplace.endpoints.revokeKey", (as, w) => as.api.marketplace.endpoints.revokeKey.mutate({ keyId: w.buyerKey.id })),
]);
