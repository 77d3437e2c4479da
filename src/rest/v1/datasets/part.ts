import { createRoute, z } from "@hono/zod-openapi";
import { datasetLimits, sendPart } from "../../../data";
import { dataDeps, sourceView } from "../../../data-sources/seller";
import { restRouter } from "../../router";
import { dataOf, errorResponses, json } from "../../schemas";
import { contentLength, ownDataset, seller } from "./request";
import { dataset, datasetParams, notFound, sellerErrors, tooLarge } from "./schema";

export const uploadPart = createRoute({
  method: "put",
  path: "/datasets/{datasetId}/parts/{part}",
  operationId: "uploadPart",
  summary: "Send one part of an upload",
  description:
    "Appends part `part` (1, 2, 3, ...) of the file; up to 100 MB each. A part is stored whole or not at all: one cut short (its " +
    "Content-Length not reached) is refused and can be sent again, and sending again a part already stored changes nothing. A bad row " +
    "or too many bytes ends the upload (nothing is kept).",
  tags: ["Selling"],
  security: [{ CompanyKey: [] }],
  request: {
    // The part's number is read by the upload itself, after the key and the dataset are checked.
    params: datasetParams.extend({
      part: z.string().openapi({ type: "integer", minimum: 1, description: "The part's number, from 1." }),
    }),
    body: {
      required: true,
      description: "The next bytes of the file, cut anywhere.",
      content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
    },
  },
  responses: {
    200: json("The part is stored; where the upload stands.", dataOf(dataset)),
    ...errorResponses({
      BAD_REQUEST: "a part number that isn't 1, 2, 3, ..., or a part cut short before its Content-Length (send it again).",
      INVALID_DATASET: "a malformed row (the message names the line or column): the upload is ended and nothing kept.",
      ...sellerErrors,
      NOT_FOUND: notFound,
      CONFLICT: "a part out of order (the message says which comes next), the upload is complete, or another request took it over.",
      ...tooLarge,
    }),
  },
});

/** `PUT /v1/datasets/:datasetId/parts/:part`: appends one part, cut anywhere. */
export const part = restRouter().openapi(uploadPart, async (c) => {
  const { datasetId, part: raw } = c.req.valid("param");
  const source = await ownDataset(c, await seller(c), datasetId);
  const part = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  const body = c.req.raw.body ?? new Uint8Array(0);
  await sendPart(dataDeps(c.var.services), source, part, body, datasetLimits(c.env), { announcedBytes: contentLength(c) });
  return c.json({ data: await sourceView(dataDeps(c.var.services), source) }, 200);
});
