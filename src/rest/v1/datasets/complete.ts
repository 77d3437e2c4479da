import { createRoute } from "@hono/zod-openapi";
import { completeUpload, datasetLimits } from "../../../data";
import { dataDeps, sourceView } from "../../../data-sources/seller";
import { restRouter } from "../../router";
import { dataOf, errorResponses, json } from "../../schemas";
import { ownDataset, seller } from "./request";
import { dataset, datasetParams, notFound, sellerErrors } from "./schema";

export const completeDatasetUpload = createRoute({
  method: "post",
  path: "/datasets/{datasetId}/complete",
  operationId: "completeUpload",
  summary: "Finish an upload in parts",
  description: "Parses the end of the file, writes and indexes the typed rows, and makes the dataset ready. Safe to retry.",
  tags: ["Selling"],
  security: [{ CompanyKey: [] }],
  request: { params: datasetParams },
  responses: {
    200: json("The dataset, stored: `status: ready`.", dataOf(dataset)),
    ...errorResponses({
      INVALID_DATASET: "the end of the file is malformed (the message names the line or column), or it is empty: nothing is kept.",
      ...sellerErrors,
      NOT_FOUND: notFound,
      CONFLICT: "another request took the upload over.",
    }),
  },
});

/** `POST /v1/datasets/:datasetId/complete`: ends an upload in parts. */
export const complete = restRouter().openapi(completeDatasetUpload, async (c) => {
  const source = await ownDataset(c, await seller(c), c.req.valid("param").datasetId);
  const ready = await completeUpload(dataDeps(c.var.services), source, datasetLimits(c.env));
  return c.json({ data: await sourceView(dataDeps(c.var.services), ready) }, 200);
});
