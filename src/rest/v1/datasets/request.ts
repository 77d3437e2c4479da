/**
 * What every dataset route reads from its request: who calls (a company key,
 * full scope and a seller company to write), the dataset named in the path,
 * and an upload's options from the query.
 */
import type { Context } from "hono";
import { requireScope } from "../../../auth/authenticate";
import { getDataSource, type ColumnType, type DatasetFormat, type DatasetSource, type UploadOptions } from "../../../data";
import { requireSeller } from "../../../companies/service";
import { dataDeps } from "../../../data-sources/seller";
import type { AppEnv } from "../../../context";
import { TesseraError } from "../../../errors";
import { callerOf } from "../../../members/caller";
import { formats } from "./schema";

/** When `format` is left out, the Content-Type may say it. */
const formatOfContentType: Record<string, DatasetFormat> = {
  "text/csv": "csv",
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
};

export async function caller(c: Context<AppEnv>, scope: "read" | "full"): Promise<string> {
  const who = await callerOf(c.var.services.db, c.req.raw, c.req.header("x-api-key"), c.env.KEY_SECRET);
  requireScope(who, scope);
  return who.companyId;
}

export async function seller(c: Context<AppEnv>): Promise<string> {
  const companyId = await caller(c, "full");
  await requireSeller(c.var.services.db, companyId);
  return companyId;
}

/** A hosted dataset of the caller's; anyone else's (or an origin) is NOT_FOUND. */
export async function ownDataset(c: Context<AppEnv>, companyId: string, id: string): Promise<DatasetSource> {
  const source = await getDataSource(dataDeps(c.var.services), id, { companyId });
  if (source.kind !== "dataset") throw new TesseraError("NOT_FOUND", `No dataset ${source.id}.`);
  return source;
}

export function uploadOptions(c: Context<AppEnv>, companyId: string): UploadOptions {
  return {
    companyId,
    name: c.req.query("name") ?? "",
    format: readFormat(c.req.query("format"), c.req.header("content-type")),
    columnTypes: readColumnTypes(c.req.query("column_types")),
    filterable: readFilterable(c.req.queries("filterable")),
  };
}

export function contentLength(c: Context<AppEnv>): number | undefined {
  const raw = c.req.header("content-length");
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

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
