import { createRoute, z } from "@hono/zod-openapi";
import { listDataSources } from "../../../data";
import { dataDeps, sourceView } from "../../../data-sources/seller";
import { restRouter } from "../../router";
import { dataOf, errorResponses, json } from "../../schemas";
import { caller } from "./request";
import { dataset, keyErrors } from "./schema";

export const listDatasets = createRoute({
  method: "get",
  path: "/datasets",
  operationId: "listDatasets",
  summary: "Your datasets",
  description: "Your company's hosted datasets, newest first; an upload still running shows `status: loading` and its `upload` progress. Any key of the company.",
  tags: ["Selling"],
  security: [{ CompanyKey: [] }],
  responses: {
    200: json("The datasets.", dataOf(z.array(dataset))),
    ...errorResponses(keyErrors),
  },
});

/** `GET /v1/datasets`: the company's hosted datasets, uploads running included. */
export const list = restRouter().openapi(listDatasets, async (c) => {
  const companyId = await caller(c, "read");
  const deps = dataDeps(c.var.services);
  const datasets = (await listDataSources(deps, companyId)).filter((s) => s.kind === "dataset");
  return c.json({ data: await Promise.all(datasets.map((s) => sourceView(deps, s))) }, 200);
});
