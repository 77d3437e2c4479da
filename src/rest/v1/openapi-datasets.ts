import type { Parameter, PathItem, Response } from "./openapi-types";

/** The hosted-dataset routes of the OpenAPI document (src/rest/v1/datasets.ts). */

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const requestId = "req_3Xk9TqP2vL8mZr4wYb6n";
const error = (description: string, code: string, message: string): Response => ({
  description,
  content: { "application/json": { schema: schema("Error"), example: { error: { code, message, requestId } } } },
});
const one = (description: string, example: unknown): Response => ({
  description,
  content: { "application/json": { schema: { type: "object", required: ["data"], properties: { data: schema("Dataset") } }, example: { data: example } } },
});

const id = "src_5f0c1a9e2b7d4c3a8e6f1b2d";
const columns = [{ name: "region", label: "region", type: "text", filterable: true }];
const ready = { id, companyId: "co_1a2b3c", kind: "dataset", name: "Customers", status: "ready", rowCount: 1, columns, sizeBytes: 47, createdAt: 1735689600000 };
const loading = {
  ...ready,
  status: "loading",
  rowCount: 0,
  columns: [],
  sizeBytes: 0,
  upload: { phase: "receiving", parts: 2, bytes: 209715200, rows: 4120377, updatedAt: 1735689660000 },
};

const options: Parameter[] = [
  { name: "name", in: "query", required: true, description: "The dataset's name, 1 to 200 characters.", schema: { type: "string" } },
  {
    name: "format",
    in: "query",
    description: "The file's format; when left out, the Content-Type says it (text/csv, application/json, application/x-ndjson).",
    schema: { type: "string", enum: ["csv", "json", "ndjson"] },
  },
  {
    name: "column_types",
    in: "query",
    description: 'Types to use instead of the inferred ones, as JSON keyed by header or column name: {"amount":"real"}.',
    schema: { type: "string" },
  },
  { name: "filterable", in: "query", description: "Columns buyers will filter on, comma-separated: each gets an index.", schema: { type: "string" }, example: "region,signed_up" },
];
const datasetId: Parameter = { name: "datasetId", in: "path", required: true, description: "The dataset (`src_...`).", schema: { type: "string" } };

const badFile = error(
  "INVALID_DATASET: the file is malformed (the message names the line or column); the upload is ended and nothing kept. BAD_REQUEST: a query parameter is wrong.",
  "INVALID_DATASET",
  'Line 7, column "amount": "n/a" is not a valid real.',
);
const forbidden = error("FORBIDDEN: a read-only key, or a company that isn't a seller.", "FORBIDDEN", "Only seller companies can add data sources.");
const tooLarge = error(
  "PAYLOAD_TOO_LARGE: over 100 MB in one request (send the file in parts) or over 2 GB in all. QUOTA_EXCEEDED: your datasets would pass your storage quota. Both are checked on Content-Length before reading, and as bytes arrive.",
  "QUOTA_EXCEEDED",
  "Your hosted datasets may take 5 GB in all; 4980.2 MB are used, so this upload does not fit. Delete datasets you no longer need, or ask us for more room.",
);
const notFound = error("NOT_FOUND: no such dataset of yours (someone else's answers the same), or an upload that was removed.", "NOT_FOUND", `No data source ${id}.`);
const conflict = (what: string, message: string) => error(`CONFLICT: ${what}`, "CONFLICT", message);
const file = {
  "text/csv": { schema: { type: "string" as const }, example: "region,customers,signed_up\nEU,1204,2024-01-31\n" },
  "application/json": { schema: { type: "array" as const, items: { type: "object" as const } } },
  "application/x-ndjson": { schema: { type: "string" as const } },
};

export function datasetPaths(origin: string): Record<string, PathItem> {
  return {
    "/v1/datasets": {
      post: {
        operationId: "uploadDataset",
        summary: "Upload a dataset",
        description:
          "Stores a CSV, JSON (an array of objects) or NDJSON file as a hosted dataset your products can read. The file is the raw body, streamed, " +
          "UTF-8, up to 100 MB (Cloudflare's body limit on Free and Pro plans; send larger files in parts). Column types are inferred (integer, " +
          "real, text, boolean, date) unless column_types says otherwise. Seller companies only, with a full-scope key. Either the whole file is " +
          "stored or nothing is. While it runs, GET /v1/datasets lists it with its progress.",
        tags: ["Selling"],
        security: [{ CompanyKey: [] }],
        parameters: options,
        requestBody: { required: true, description: "The file itself.", content: file },
        responses: {
          "201": one("The dataset, stored.", ready),
          "400": badFile,
          "401": response("Unauthorized"),
          "403": forbidden,
          "413": tooLarge,
        },
        "x-example-curl": `curl -X POST "${origin}/v1/datasets?name=Customers&format=csv&filterable=region" -H "x-api-key: $TESSERA_KEY" --data-binary @customers.csv`,
      },
      get: {
        operationId: "listDatasets",
        summary: "Your datasets",
        description: "Your company's hosted datasets, newest first; an upload still running shows `status: loading` and its `upload` progress.",
        tags: ["Selling"],
        security: [{ CompanyKey: [] }],
        responses: {
          "200": {
            description: "The datasets.",
            content: {
              "application/json": {
                schema: { type: "object", required: ["data"], properties: { data: { type: "array", items: schema("Dataset") } } },
                example: { data: [loading, ready] },
              },
            },
          },
          "401": response("Unauthorized"),
        },
        "x-example-curl": `curl "${origin}/v1/datasets" -H "x-api-key: $TESSERA_KEY"`,
      },
    },
    "/v1/datasets/uploads": {
      post: {
        operationId: "startUpload",
        summary: "Start an upload in parts",
        description:
          "Opens an upload of a file too large for one request (or one you would rather send in pieces). Send its bytes in order with " +
          "PUT /v1/datasets/{datasetId}/parts/{part}, cut anywhere (even inside a row or a character), then POST .../complete. An upload " +
          "nothing is sent to for 15 minutes is removed.",
        tags: ["Selling"],
        security: [{ CompanyKey: [] }],
        parameters: options,
        responses: { "201": one("The upload, open.", { ...loading, upload: { ...loading.upload, parts: 0, bytes: 0, rows: 0 } }), "400": badFile, "401": response("Unauthorized"), "403": forbidden },
        "x-example-curl": `curl -X POST "${origin}/v1/datasets/uploads?name=Customers&format=csv" -H "x-api-key: $TESSERA_KEY"`,
      },
    },
    "/v1/datasets/{datasetId}": {
      get: {
        operationId: "getDataset",
        summary: "A dataset, or an upload's progress",
        description: "While the upload runs: `status: loading` and `upload` (phase receiving, converting, indexing; parts, bytes and rows so far).",
        tags: ["Selling"],
        security: [{ CompanyKey: [] }],
        parameters: [datasetId],
        responses: { "200": one("The dataset.", loading), "401": response("Unauthorized"), "404": notFound },
        "x-example-curl": `curl "${origin}/v1/datasets/$DATASET_ID" -H "x-api-key: $TESSERA_KEY"`,
      },
      delete: {
        operationId: "deleteDataset",
        summary: "Delete a dataset, or stop an upload",
        tags: ["Selling"],
        security: [{ CompanyKey: [] }],
        parameters: [datasetId],
        responses: {
          "200": {
            description: "Deleted: nothing of it is kept.",
            content: { "application/json": { schema: { type: "object" }, example: { data: { id, deleted: true } } } },
          },
          "401": response("Unauthorized"),
          "404": notFound,
          "409": conflict("a product still uses the dataset.", `${id} still backs a product: "Churn" (ept_1a2b3c4d). Move or delete them first.`),
        },
        "x-example-curl": `curl -X DELETE "${origin}/v1/datasets/$DATASET_ID" -H "x-api-key: $TESSERA_KEY"`,
      },
    },
    "/v1/datasets/{datasetId}/parts/{part}": {
      put: {
        operationId: "uploadPart",
        summary: "Send one part of an upload",
        description:
          "Appends part `part` (1, 2, 3, ...) of the file; up to 100 MB each. A part is stored whole or not at all: one cut short (its " +
          "Content-Length not reached) is refused and can be sent again, and sending again a part already stored changes nothing. A bad row " +
          "or too many bytes ends the upload (nothing is kept).",
        tags: ["Selling"],
        security: [{ CompanyKey: [] }],
        parameters: [datasetId, { name: "part", in: "path", required: true, description: "The part's number, from 1.", schema: { type: "integer", minimum: 1 } }],
        requestBody: { required: true, description: "The next bytes of the file.", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
        responses: {
          "200": one("The part is stored; where the upload stands.", loading),
          "400": badFile,
          "401": response("Unauthorized"),
          "404": notFound,
          "409": conflict("a part out of order, or the upload is complete.", "Send part 3 first: parts are appended in order."),
          "413": tooLarge,
        },
        "x-example-curl": `curl -X PUT "${origin}/v1/datasets/$DATASET_ID/parts/1" -H "x-api-key: $TESSERA_KEY" --data-binary @part-1.csv`,
      },
    },
    "/v1/datasets/{datasetId}/complete": {
      post: {
        operationId: "completeUpload",
        summary: "Finish an upload in parts",
        description: "Parses the end of the file, writes and indexes the typed rows, and makes the dataset ready. Safe to retry.",
        tags: ["Selling"],
        security: [{ CompanyKey: [] }],
        parameters: [datasetId],
        responses: { "200": one("The dataset, stored.", ready), "400": badFile, "401": response("Unauthorized"), "404": notFound },
        "x-example-curl": `curl -X POST "${origin}/v1/datasets/$DATASET_ID/complete" -H "x-api-key: $TESSERA_KEY"`,
      },
    },
  };
}
