import { Hono, type Context } from "hono";
import type { AppEnv } from "../../app";
import { requireScope } from "../../auth/authenticate";
import {
  checkBytes,
  completeUpload,
  createDataset,
  datasetLimits,
  getDataSource,
  listDataSources,
  sendPart,
  startUpload,
  type ColumnType,
  type DatasetFormat,
  type DatasetSource,
  type UploadOptions,
} from "../../data";
import { deleteOwnSource } from "../../data-sources/delete";
import { dataDeps, requireSeller, sourceView } from "../../data-sources/seller";
import { TesseraError } from "../../errors";
import { callerOf } from "../../members/caller";

/**
 * Hosted datasets over REST, for sellers' scripts. The file is the raw
 * request body, streamed into the dataset's object, never held whole:
 *
 * - `POST /v1/datasets?name=...&format=csv|json|ndjson` with the whole file
 *   (up to 100 MB, Cloudflare's body limit on Free and Pro plans);
 * - larger files in parts: `POST /v1/datasets/uploads?name=...` opens an
 *   upload, `PUT /v1/datasets/:id/parts/:n` appends part n (1, 2, ...; cut
 *   anywhere), `POST /v1/datasets/:id/complete` ends it;
 * - `GET /v1/datasets/:id` shows a dataset, or an upload's progress while it
 *   runs; `GET /v1/datasets` lists them; `DELETE /v1/datasets/:id` deletes one
 *   no product uses, or stops an upload.
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
  const companyId = await seller(c);
  const body = c.req.raw.body;
  const options = uploadOptions(c, companyId);
  const limits = datasetLimits(c.env);
  const announcedBytes = contentLength(c);
  // Refuse an announced oversize upload before reading a byte of it (the quota is checked with it in createDataset).
  if (announcedBytes !== undefined) checkBytes(limits, { used: 0, fileBytes: announcedBytes, bodyBytes: announcedBytes });
  if (!body) throw new TesseraError("INVALID_DATASET", "Send the file as the request body.");
  const source = await createDataset(dataDeps(c.env), { ...options, body }, limits, { announcedBytes });
  return c.json({ data: await sourceView(dataDeps(c.env), source) }, 201);
});

datasetsRest.post("/datasets/uploads", async (c) => {
  const companyId = await seller(c);
  const source = await startUpload(dataDeps(c.env), uploadOptions(c, companyId), datasetLimits(c.env));
  return c.json({ data: await sourceView(dataDeps(c.env), source) }, 201);
});

datasetsRest.put("/datasets/:id/parts/:part", async (c) => {
  const source = await ownDataset(c, await seller(c));
  const part = /^\d{1,6}$/.test(c.req.param("part")) ? Number(c.req.param("part")) : NaN;
  const body = c.req.raw.body ?? new Uint8Array(0);
  await sendPart(dataDeps(c.env), source, part, body, datasetLimits(c.env), { announcedBytes: contentLength(c) });
  return c.json({ data: await sourceView(dataDeps(c.env), source) });
});

datasetsRest.post("/datasets/:id/complete", async (c) => {
  const source = await ownDataset(c, await seller(c));
  const ready = await completeUpload(dataDeps(c.env), source, datasetLimits(c.env));
  return c.json({ data: await sourceView(dataDeps(c.env), ready) });
});

datasetsRest.get("/datasets", async (c) => {
  const companyId = await caller(c, "read");
  const deps = dataDeps(c.env);
  const datasets = (await listDataSources(deps, companyId)).filter((s) => s.kind === "dataset");
  return c.json({ data: await Promise.all(datasets.map((s) => sourceView(deps, s))) });
});

datasetsRest.get("/datasets/:id", async (c) => {
  const source = await ownDataset(c, await caller(c, "read"));
  return c.json({ data: await sourceView(dataDeps(c.env), source) });
});

datasetsRest.delete("/datasets/:id", async (c) => {
  const companyId = await seller(c);
  const source = await ownDataset(c, companyId);
  return c.json({ data: await deleteOwnSource(c.env, c.get("db"), companyId, source.id) });
});

async function caller(c: Context<AppEnv>, scope: "read" | "full"): Promise<string> {
  const who = await callerOf(c.get("db"), c.req.raw, c.req.header("x-api-key"), c.env.KEY_SECRET);
  requireScope(who, scope);
  return who.companyId;
}

async function seller(c: Context<AppEnv>): Promise<string> {
  const companyId = await caller(c, "full");
  await requireSeller(c.get("db"), companyId);
  return companyId;
}

/** A hosted dataset of the caller's; anyone else's (or an origin) is NOT_FOUND. */
async function ownDataset(c: Context<AppEnv>, companyId: string): Promise<DatasetSource> {
  const source = await getDataSource(dataDeps(c.env), c.req.param("id") ?? "", { companyId });
  if (source.kind !== "dataset") throw new TesseraError("NOT_FOUND", `No dataset ${source.id}.`);
  return source;
}

function uploadOptions(c: Context<AppEnv>, companyId: string): UploadOptions {
  return {
    companyId,
    name: c.req.query("name") ?? "",
    format: readFormat(c.req.query("format"), c.req.header("content-type")),
    columnTypes: readColumnTypes(c.req.query("column_types")),
    filterable: readFilterable(c.req.queries("filterable")),
  };
}

function contentLength(c: Context<AppEnv>): number | undefined {
  const raw = c.req.header("content-length");
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

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
