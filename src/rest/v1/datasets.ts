import { Hono } from "hono";
import type { AppEnv } from "../../app";
import { requireScope } from "../../auth/authenticate";
import { createDataset, defaultDatasetLimits, publicDataSource, type ColumnType, type DatasetFormat } from "../../data";
import { dataDeps, requireSeller } from "../../data-sources/seller";
import { TesseraError } from "../../errors";
import { callerOf } from "../../members/caller";

/**
 * `POST /v1/datasets?name=...&format=csv|json|ndjson`: a seller uploads a file
 * as the raw request body. The body is streamed into the dataset loader, never
 * held whole, so a file of tens of megabytes costs little memory.
 */
export const datasetsRest = new Hono<AppEnv>();

const formats: readonly DatasetFormat[] = ["csv", "json", "ndjson"];

/** When `format` is left out, the Content-Type may say it. */
const formatOfContentType: Record<string, DatasetFormat> = {
  "text/csv": "csv",
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
};

datasetsRest.post("/datasets", async (c) => {
  const db = c.get("db");
  const caller = await callerOf(db, c.req.raw, c.req.header("x-api-key"), c.env.KEY_SECRET);
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
    if (!(formats as string[]).includes(format)) {
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
