import { createRoute } from "@hono/zod-openapi";
import { checkBytes, createDataset, datasetLimits } from "../../../data";
import { dataDeps, sourceView } from "../../../data-sources/seller";
import { TesseraError } from "../../../errors";
import { restRouter } from "../../router";
import { dataOf, errorResponses, json } from "../../schemas";
import { contentLength, seller, uploadOptions } from "./request";
import { dataset, fileBody, sellerErrors, tooLarge, uploadQuery } from "./schema";

export const uploadDataset = createRoute({
  method: "post",
  path: "/datasets",
  operationId: "uploadDataset",
  summary: "Upload a dataset",
  description:
    "Stores a CSV, JSON (an array of objects) or NDJSON file as a hosted dataset your products can read. The file is the raw body, streamed, " +
    "UTF-8, up to 100 MB (Cloudflare's body limit on Free and Pro plans; send larger files in parts). Column types are inferred (integer, " +
    "real, text, boolean, date) unless column_types says otherwise. Seller companies only, with a full-scope key. Either the whole file is " +
    "stored or nothing is. While it runs, GET /v1/datasets lists it with its progress.",
  tags: ["Selling"],
  security: [{ CompanyKey: [] }],
  request: { query: uploadQuery, body: fileBody },
  responses: {
    201: json("The dataset, stored.", dataOf(dataset)),
    ...errorResponses({
      BAD_REQUEST: "a query parameter is wrong (the message names it), or the body ended before its Content-Length.",
      INVALID_DATASET: "the file is malformed (the message names the line or column), or no name; nothing is kept.",
      ...sellerErrors,
      ...tooLarge,
    }),
  },
});

/** `POST /v1/datasets?name=...&format=csv|json|ndjson`: a whole file in one request. */
export const upload = restRouter().openapi(uploadDataset, async (c) => {
  const companyId = await seller(c);
  const body = c.req.raw.body;
  const options = uploadOptions(c, companyId);
  const limits = datasetLimits(c.env);
  const announcedBytes = contentLength(c);
  // Refuse an announced oversize upload before reading a byte of it (the quota is checked with it in createDataset).
  if (announcedBytes !== undefined) checkBytes(limits, { used: 0, fileBytes: announcedBytes, bodyBytes: announcedBytes });
  if (!body) throw new TesseraError("INVALID_DATASET", "Send the file as the request body.");
  const source = await createDataset(dataDeps(c.var.services), { ...options, body }, limits, { announcedBytes });
  return c.json({ data: await sourceView(dataDeps(c.var.services), source) }, 201);
});
