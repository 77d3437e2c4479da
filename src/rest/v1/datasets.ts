import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../auth/authenticate";
import { createDataset, defaultDatasetLimits, publicDataSource, type ColumnType, type DatasetFormat } from "../../data";
import { dataDeps, requireSeller } from "../../data-sources/seller";
import { TesseraError } from "../../errors";
import { callerOf } from "../../members/caller";
import { columnTypes } from "../../db/schema";
import { restRouter } from "../router";
import { dataOf, errorResponses, json } from "../schemas";

/**
 * `POST /v1/datasets?name=...&format=csv|json|ndjson`: a seller uploads a file
 * as the raw request body. The body is streamed into the dataset loader, never
 * held whole, so a file of tens of megabytes costs little memory.
 */
export const datasetsRest = restRouter();

const formats = ["csv", "json", "ndjson"] as const satisfies readonly DatasetFormat[];

export const dataset = z
  .object({
    id: z.string().openapi({ example: "src_5f0c1a9e2b7d4c3a8e6f1b2d" }),
    companyId: z.string(),
    kind: z.literal("dataset"),
    name: z.string(),
    rowCount: z.number().int(),
    columns: z.array(
      z.object({
        name: z.string().openapi({ description: "The safe name used in query specs and in the rows buyers get (a slug of the label)." }),
        label: z.string().openapi({ description: "The header as uploaded." }),
        type: z.enum(columnTypes),
        filterable: z.boolean().openapi({ description: "Indexed for buyers' filters." }),
      }),
    ),
    sizeBytes: z.number().int().openapi({ description: "Size of the uploaded file." }),
    createdAt: z.number().int().openapi({ description: "Unix time in milliseconds." }),
  })
  .openapi("Dataset", { description: "A hosted dataset as its seller sees it." });

// The schema checks their shape (one of three formats); the handler reads them, and the loader checks the rest.
const query = z.object({
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

export const uploadDataset = createRoute({
  method: "post",
  path: "/datasets",
  operationId: "uploadDataset",
  summary: "Upload a dataset",
  description:
    "Stores a CSV, JSON (an array of objects) or NDJSON file as a hosted dataset your products can read. The file is the raw body, streamed, " +
    "up to 50 MB, UTF-8. Column types are inferred (integer, real, text, boolean, date) unless column_types says otherwise. " +
    "Seller companies only, with a full-scope key. Either the whole file is stored or nothing is.",
  tags: ["Selling"],
  security: [{ CompanyKey: [] }],
  request: {
    query,
    // Not parsed before the handler: the file is streamed into the loader, never held whole.
    body: {
      required: true,
      description: "The file itself.",
      content: {
        "text/csv": { schema: { type: "string" }, example: "region,customers,signed_up\nEU,1204,2024-01-31\n" },
        "application/json": { schema: { type: "array", items: { type: "object" } } },
        "application/x-ndjson": { schema: { type: "string" } },
      },
    },
  },
  responses: {
    201: json("The dataset, stored.", dataOf(dataset)),
    ...errorResponses({
      BAD_REQUEST: "a query parameter is wrong (the message names it).",
      INVALID_DATASET: "the file is malformed (the message names the line or column), or no name.",
      UNAUTHORIZED: "no key or an unknown one.",
      KEY_REVOKED: "the key was revoked.",
      FORBIDDEN: "a read-only key, or a company that isn't a seller.",
      PAYLOAD_TOO_LARGE: "the file is over 50 MB.",
    }),
  },
});

/** When `format` is left out, the Content-Type may say it. */
const formatOfContentType: Record<string, DatasetFormat> = {
  "text/csv": "csv",
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
};

datasetsRest.openapi(uploadDataset, async (c) => {
  const db = c.get("db");
  const caller = await callerOf(db, c.req.raw, c.req.header("x-api-key"));
  requireScope(caller, "full");
  await requireSeller(db, caller.companyId);

  // Refuse an announced oversize upload before reading a byte of it.
  const maxBytes = defaultDatasetLimits.maxBytes;
  const length = Number(c.req.header("content-length") ?? "0");
  if (length > maxBytes) {
    throw new TesseraError("PAYLOAD_TOO_LARGE", `The file is larger than ${maxBytes / (1024 * 1024)} MB.`);
  }

  const body = c.req.raw.body;
  if (!body) throw new TesseraError("INVALID_DATASET", "Send the file as the request body.");
  const source = await createDataset(dataDeps(c.env), {
    companyId: caller.companyId,
    name: c.req.query("name") ?? "",
    format: readFormat(c.req.query("format"), c.req.header("content-type")),
    body,
    columnTypes: readColumnTypes(c.req.query("column_types")),
    filterable: readFilterable(c.req.queries("filterable")),
  });
  return c.json({ data: publicDataSource(source) }, 201);
});

function readFormat(format: string | undefined, contentType: string | undefined): DatasetFormat {
  if (format !== undefined) {
    if (!(formats as readonly string[]).includes(format)) {
      throw new TesseraError("BAD_REQUEST", `format must be one of ${formats.join(", ")}.`);
    }
    return format as DatasetFormat;
  }
  const mediaType = contentType?.split(";")[0]!.trim().toLowerCase() ?? "";
  const inferred = formatOfContentType[mediaType];
  if (!inferred) throw new TesseraError("BAD_REQUEST", "Say the file's format: format=csv, json or ndjson.");
  return inferred;
}

/** `column_types={"amount":"real"}`: the type names themselves are checked against the header by the loader. */
function readColumnTypes(raw: string | undefined): Record<string, ColumnType> | undefined {
  if (raw === undefined || raw === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const isMap =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === "string");
  if (!isMap) throw new TesseraError("BAD_REQUEST", 'column_types must be a JSON object of column to type, like {"amount":"real"}.');
  return parsed as Record<string, ColumnType>;
}

/** `filterable=a,b` or `filterable=a&filterable=b`. */
function readFilterable(raw: string[] | undefined): string[] | undefined {
  const names = (raw ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  return names.length ? names : undefined;
}
