import { z } from "@hono/zod-openapi";
import type { DatasetFormat, DatasetPhase } from "../../../data";
import { columnTypes, datasetStatuses } from "../../../db/schema";
import type { CodeMeanings } from "../../schemas";

export const formats = ["csv", "json", "ndjson"] as const satisfies readonly DatasetFormat[];
const phases = ["receiving", "converting", "indexing", "ready", "deleting"] as const satisfies readonly DatasetPhase[];

const uploadProgress = z
  .object({
    phase: z.enum(phases).openapi({ description: "receiving (parts arrive), then converting and indexing after complete, then ready." }),
    parts: z.number().int().openapi({ description: "Parts stored so far." }),
    bytes: z.number().int().openapi({ description: "Bytes of the file stored so far." }),
    rows: z.number().int().openapi({ description: "Rows read so far (the last row of a part may wait for the next part)." }),
    updatedAt: z.number().int().openapi({ description: "Unix time in milliseconds of the last change." }),
  })
  .openapi({ example: { phase: "receiving", parts: 2, bytes: 209715200, rows: 4120377, updatedAt: 1735689660000 } });

export const dataset = z
  .object({
    id: z.string().openapi({ example: "src_5f0c1a9e2b7d4c3a8e6f1b2d" }),
    companyId: z.string(),
    kind: z.literal("dataset"),
    name: z.string(),
    status: z.enum(datasetStatuses).openapi({ description: "`loading` while the upload runs (nothing to query yet); `ready` from its end on." }),
    rowCount: z.number().int().openapi({ description: "0 until the dataset is ready." }),
    columns: z.array(
      z.object({
        name: z.string().openapi({ description: "The safe name used in query specs and in the rows buyers get (a slug of the label)." }),
        label: z.string().openapi({ description: "The header as uploaded." }),
        type: z.enum(columnTypes),
        filterable: z.boolean().openapi({ description: "Indexed for buyers' filters." }),
      }),
    ),
    sizeBytes: z.number().int().openapi({ description: "Size of the uploaded file (while an upload runs: the bytes stored so far)." }),
    createdAt: z.number().int().openapi({ description: "Unix time in milliseconds." }),
    upload: uploadProgress
      .nullable()
      .optional()
      .openapi({ description: "Only while `status` is `loading`: the upload's progress (null once it was removed)." }),
  })
  .openapi("Dataset", { description: "A hosted dataset as its seller sees it." });

export const datasetParams = z.object({ datasetId: z.string().openapi({ description: "The dataset (`src_...`)." }) });

// The schema checks their shape (one of three formats); the handler reads them, and the loader checks the rest.
export const uploadQuery = z.object({
  name: z.string().optional().openapi({ description: "The dataset's name, 1 to 200 characters. Required." }),
  format: z
    .enum(formats, { error: `format must be one of ${formats.join(", ")}.` })
    .optional()
    .openapi({ description: "The file's format; when left out, the Content-Type says it (text/csv, application/json, application/x-ndjson)." }),
  column_types: z.string().optional().openapi({ description: 'Types to use instead of the inferred ones, as JSON keyed by header or column name: `{"amount":"real"}`.' }),
  filterable: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: "Columns buyers will filter on, comma-separated (`region,signed_up`) or repeated: each gets an index." }),
});

/** The file as a whole request body; not parsed before the handler: it is streamed into the dataset's object, never held whole. */
export const fileBody = {
  required: true,
  description: "The file itself.",
  content: {
    "text/csv": { schema: { type: "string" as const }, example: "region,customers,signed_up\nEU,1204,2024-01-31\n" },
    "application/json": { schema: { type: "array" as const, items: { type: "object" as const } } },
    "application/x-ndjson": { schema: { type: "string" as const } },
  },
};

/** What every dataset route can answer about its key. */
export const keyErrors: CodeMeanings = {
  UNAUTHORIZED: "no key or an unknown one.",
  KEY_REVOKED: "the key was revoked.",
};

/** A route that writes: a seller's full-scope key. */
export const sellerErrors: CodeMeanings = {
  ...keyErrors,
  FORBIDDEN: "a read-only key, or a company that isn't a seller.",
};

export const tooLarge: CodeMeanings = {
  PAYLOAD_TOO_LARGE: "over 100 MB in one request (send the file in parts) or over 2 GB in all.",
  QUOTA_EXCEEDED: "your datasets would pass your storage quota (5 GB unless agreed otherwise).",
};

export const notFound = "no such dataset of yours (someone else's answers the same), or an upload that was removed.";
