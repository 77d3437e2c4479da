import { createRoute } from "@hono/zod-openapi";
import { dataDeps, sourceView } from "../../../data-sources/seller";
import { restRouter } from "../../router";
import { dataOf, errorResponses, json } from "../../schemas";
import { caller, ownDataset } from "./request";
import { dataset, datasetParams, keyErrors, notFound } from "./schema";

export const getDataset = createRoute({
  method: "get",
  path: "/datasets/{datasetId}",
  operationId: "getDataset",
  summary: "A dataset, or an upload's progress",
  description:
    "While the upload runs: `status: loading` and `upload` (phase receiving, converting, indexing; parts, bytes and rows so far). Any key of the company.",
  tags: ["Selling"],
  security: [{ CompanyKey: [] }],
  request: { params: datasetParams },
  responses: {
    200: json("The dataset.", dataOf(dataset)),
    ...errorResponses({ ...keyErrors, NOT_FOUND: notFound }),
  },
});

/** `GET /v1/datasets/:datasetId`: one dataset, with its upload's progress while it runs. */
export const get = restRouter().openapi(getDataset, async (c) => {
  const source = await ownDataset(c, await caller(c, "read"), c.req.valid("param").datasetId);
  return c.json({ data: await sourceView(dataDeps(c.var.services), source) }, 200);
});
