import { createRoute } from "@hono/zod-openapi";
import { datasetLimits, startUpload } from "../../../data";
import { dataDeps, sourceView } from "../../../data-sources/seller";
import { restRouter } from "../../router";
import { dataOf, errorResponses, json } from "../../schemas";
import { seller, uploadOptions } from "./request";
import { dataset, sellerErrors, uploadQuery } from "./schema";

export const startDatasetUpload = createRoute({
  method: "post",
  path: "/datasets/uploads",
  operationId: "startUpload",
  summary: "Start an upload in parts",
  description:
    "Opens an upload of a file too large for one request (or one you would rather send in pieces). Send its bytes in order with " +
    "PUT /v1/datasets/{datasetId}/parts/{part}, cut anywhere (even inside a row or a character), then POST .../complete. An upload " +
    "nothing is sent to for 15 minutes is removed.",
  tags: ["Selling"],
  security: [{ CompanyKey: [] }],
  request: { query: uploadQuery },
  responses: {
    201: json("The upload, open: `status: loading`, nothing received yet.", dataOf(dataset)),
    ...errorResponses({
      BAD_REQUEST: "a query parameter is wrong (the message names it).",
      INVALID_DATASET: "no name, or one over 200 characters.",
      ...sellerErrors,
    }),
  },
});

/** `POST /v1/datasets/uploads?name=...`: opens an upload in parts. */
export const start = restRouter().openapi(startDatasetUpload, async (c) => {
  const companyId = await seller(c);
  const source = await startUpload(dataDeps(c.var.services), uploadOptions(c, companyId), datasetLimits(c.env));
  return c.json({ data: await sourceView(dataDeps(c.var.services), source) }, 201);
});
