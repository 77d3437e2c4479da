import { createRoute, z } from "@hono/zod-openapi";
import { deleteOwnSource } from "../../../data-sources/delete";
import { restRouter } from "../../router";
import { dataOf, errorResponses, json } from "../../schemas";
import { ownDataset, seller } from "./request";
import { datasetParams, notFound, sellerErrors } from "./schema";

export const deleteDataset = createRoute({
  method: "delete",
  path: "/datasets/{datasetId}",
  operationId: "deleteDataset",
  summary: "Delete a dataset, or stop an upload",
  description: "Deletes a dataset no product uses, with all its rows, or stops an upload still running. Nothing of it is kept.",
  tags: ["Selling"],
  security: [{ CompanyKey: [] }],
  request: { params: datasetParams },
  responses: {
    200: json("Deleted.", dataOf(z.object({ id: z.string(), deleted: z.literal(true) }))),
    ...errorResponses({
      ...sellerErrors,
      NOT_FOUND: notFound,
      CONFLICT: "a product still uses the dataset (the message names up to 5), or its upload is finishing.",
    }),
  },
});

/** `DELETE /v1/datasets/:datasetId`: a dataset no product uses, or an upload still running. */
export const remove = restRouter().openapi(deleteDataset, async (c) => {
  const companyId = await seller(c);
  const source = await ownDataset(c, companyId, c.req.valid("param").datasetId);
  return c.json({ data: await deleteOwnSource(c.var.services, companyId, source.id) }, 200);
});
