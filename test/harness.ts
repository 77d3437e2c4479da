/**
 * The one way tests reach the worker and make what they need: companies
 * (`h.company`, `h.buyer`, `h.seller`), data (`h.dataset`, `h.origin`),
 * products (`h.endpoint`, `h.asset`, `h.cityAssets`, `h.listedEndpoint`), keys, waiting
 * (`h.eventually`, `drained`) and errors (`expectCode`, `codeOf`). The
 * cross-company suite every id-taking procedure runs through is in
 * test/security/cross-company.test.ts.
 */
import { buyer, company, seller, workerStripe } from "./harness/companies";
import { asset, citiesCsv, cityAssets, dataset, endpoint, keyFor, listedEndpoint, origin } from "./harness/products";
import { eventually } from "./harness/wait";
import { adminKey, client } from "./harness/worker";

export { BASE, adminKey, client, rest, workerFetch } from "./harness/worker";
export { workerStripe, type Company, type ConnectSeller, type SellerOptions } from "./harness/companies";
export { citiesCsv, citiesSpec } from "./harness/products";
export { available, books, drained, eventually } from "./harness/wait";
export { codeOf, expectCode, fieldRefusal } from "./harness/errors";
export { fullScale, scaled } from "./harness/scale";

export const h = {
  company,
  buyer,
  seller,
  dataset,
  origin,
  endpoint,
  asset,
  cityAssets,
  key: keyFor,
  listedEndpoint,
  eventually,
  citiesCsv,
  /** The typed client as a platform admin. */
  admin: async () => client(await adminKey()),
  workerStripe,
};
