import { TesseraError } from "../../errors";
import { sourceStatus, datasetBytesUsed, insertDataSource, markDatasetReady, newSourceHex, recordUploadBytes } from "../sources";
import { datasetOf, type DatasetStub } from "../store/client";
import type { DatasetProgress } from "../store/meta";
import type { ColumnType, DataDeps, DatasetSource } from "../types";
import { checkBytes, defaultDatasetLimits, type DatasetLimits } from "./limits";
import { newUpload, PartReceiver } from "./receive";
import type { DatasetFormat } from "./rows";
import type { UploadBody } from "./text";

export type UploadOptions = {
  companyId: string;
  name: string;
  format: DatasetFormat;
  /** Overrides of inferred types, keyed by header label or column name. */
  columnTypes?: Record<string, ColumnType> | undefined;
  /** Columns buyers will filter on: each gets an index. */
  filterable?: string[] | undefined;
};

export type CreateDatasetInput = UploadOptions & { body: UploadBody };

/** The announced size of a body (Content-Length), when there is one. */
export type BodyInfo = { announcedBytes?: number | undefined };

/**
 * Stores an uploaded CSV / JSON / NDJSON file sent in one request as a new
 * dataset in an object of its own, and registers it in the database. Reads the
 * body as a stream. Either the whole dataset exists afterwards or nothing does.
 * Throws INVALID_DATASET (naming the line or column), PAYLOAD_TOO_LARGE or QUOTA_EXCEEDED.
 */
export async function createDataset(
  deps: DataDeps,
  input: CreateDatasetInput,
  limits: Partial<DatasetLimits> = {},
  info: BodyInfo = {},
): Promise<DatasetSource> {
  const all = { ...defaultDatasetLimits, ...limits };
  const source = await startUpload(deps, input, all, info);
  try {
    const stub = datasetOf(deps.datasets, source.id);
    const resumed = await stub.resume(1);
    const receiver = new PartReceiver(stub, resumed.lease, resumed.upload!, all);
    await receiver.read(input.body, { used: await datasetBytesUsed(deps.database, source.companyId, source.id), final: true });
    if (info.announcedBytes !== undefined && receiver.bytes !== info.announcedBytes) {
      throw new TesseraError("BAD_REQUEST", `The file ended after ${receiver.bytes} of its ${info.announcedBytes} bytes: send it again.`);
    }
    return await finishUpload(deps, source, stub, resumed.lease, { part: 1, receiver });
  } catch (error) {
    await abortUpload(deps, source.id);
    throw error;
  }
}

/**
 * Opens an upload in parts (`sendPart`, then `completeUpload`): a new data
 * source, `loading`, that buyers can't use and the seller sees progress of.
 * The object is opened first, so an upload whose worker dies at any point
 * after is swept by the object's alarm, its row in the database included.
 */
export async function startUpload(
  deps: DataDeps,
  input: UploadOptions,
  limits: DatasetLimits = defaultDatasetLimits,
  info: BodyInfo = {},
): Promise<DatasetSource> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new TesseraError("INVALID_DATASET", "A dataset needs a name of 1 to 200 characters.");
  if (!["csv", "json", "ndjson"].includes(input.format)) throw new TesseraError("INVALID_DATASET", "The format must be csv, json or ndjson.");
  if (info.announcedBytes !== undefined) {
    checkBytes(limits, { used: await datasetBytesUsed(deps.database, input.companyId), fileBytes: info.announcedBytes, bodyBytes: info.announcedBytes });
  }
  const source: DatasetSource = {
    id: `src_${newSourceHex()}`,
    companyId: input.companyId,
    kind: "dataset",
    name,
    status: "loading",
    rowCount: 0,
    columns: [],
    sizeBytes: 0,
    createdAt: Date.now(),
  };
  const stub = datasetOf(deps.datasets, source.id);
  await stub.begin({ sourceId: source.id, companyId: source.companyId, upload: newUpload(input.format, input.columnTypes, input.filterable) });
  try {
    await insertDataSource(deps.database, source);
  } catch (error) {
    await stub.discard().catch((e: unknown) => console.error("upload cleanup failed", source.id, e));
    throw error;
  }
  return source;
}

/**
 * Appends part `part` (1, 2, ...) of an upload: parsing resumes exactly where
 * the previous part stopped, even mid-row or mid-character. A part is stored
 * whole or not at all: a retry of a part that failed part-way replaces what
 * it had stored; a retry of a part already stored is answered without
 * reading it. A bad file (INVALID_DATASET) or one that doesn't fit
 * (PAYLOAD_TOO_LARGE, QUOTA_EXCEEDED) ends the upload and leaves nothing.
 */
export async function sendPart(
  deps: DataDeps,
  source: DatasetSource,
  part: number,
  body: UploadBody,
  limits: DatasetLimits = defaultDatasetLimits,
  info: BodyInfo = {},
): Promise<DatasetProgress> {
  if (!Number.isSafeInteger(part) || part < 1) throw new TesseraError("BAD_REQUEST", "Parts are numbered 1, 2, 3, ...");
  const stub = datasetOf(deps.datasets, requireLoading(source).id);
  const resumed = await stub.resume(part);
  if (resumed.done) return resumed.progress;
  try {
    const saved = resumed.upload!;
    const used = await datasetBytesUsed(deps.database, source.companyId, source.id);
    if (info.announcedBytes !== undefined) {
      checkBytes(limits, { used, fileBytes: saved.bytes + info.announcedBytes, bodyBytes: info.announcedBytes });
    }
    const receiver = new PartReceiver(stub, resumed.lease, saved, limits);
    await receiver.read(body, { used, final: false });
    const got = receiver.bytes - saved.bytes;
    if (info.announcedBytes !== undefined && got !== info.announcedBytes) {
      // A body cut short (the connection dropped): not stored, so the part can be sent again.
      throw new TesseraError("BAD_REQUEST", `Part ${part} ended after ${got} of its ${info.announcedBytes} bytes: send it again.`);
    }
    await receiver.flush();
    const progress = await stub.commit(resumed.lease, part, receiver.save(), receiver.progress());
    await recordUploadBytes(deps.database, source.id, progress.bytes);
    return progress;
  } catch (error) {
    if (endsUpload(error)) await abortUpload(deps, source.id);
    throw error;
  }
}

/** Ends an upload in parts: the last unfinished row is parsed, the typed rows written and indexed. Retry-safe. */
export async function completeUpload(deps: DataDeps, source: DatasetSource, limits: DatasetLimits = defaultDatasetLimits): Promise<DatasetSource> {
  if (source.status === "ready") return source;
  const stub = datasetOf(deps.datasets, source.id);
  const resumed = await stub.resume("complete");
  try {
    if (resumed.done || resumed.progress.phase !== "receiving") return await finishUpload(deps, source, stub, resumed.lease, null);
    const receiver = new PartReceiver(stub, resumed.lease, resumed.upload!, limits);
    const empty = new Uint8Array(0);
    await receiver.read(empty, { used: 0, final: true });
    return await finishUpload(deps, source, stub, resumed.lease, { part: resumed.progress.parts + 1, receiver });
  } catch (error) {
    if (endsUpload(error)) await abortUpload(deps, source.id);
    throw error;
  }
}

/** Where an upload stands (null once it is gone), read from its object. */
export async function uploadProgress(deps: DataDeps, source: DatasetSource): Promise<DatasetProgress | null> {
  return datasetOf(deps.datasets, source.id).progress();
}

/** Removes an unfinished upload: the object drops its row in the database (if still `loading`) and everything it stored. */
export async function abortUpload(deps: DataDeps, sourceId: string): Promise<void> {
  await datasetOf(deps.datasets, sourceId)
    .discard()
    .catch((e: unknown) => console.error("upload cleanup failed; the object's alarm will retry", sourceId, e));
}

/**
 * The end of every upload: the last rows, then short steps in the object
 * (convert, index, drop the staging rows), then the row in the database becomes
 * `ready` with the dataset's shape and the object is told so. If this
 * request dies anywhere in here, a retried `completeUpload` takes over, and
 * failing that the object's alarm finishes the row in the database itself.
 */
async function finishUpload(
  deps: DataDeps,
  source: DatasetSource,
  stub: DatasetStub,
  lease: string,
  last: { part: number; receiver: PartReceiver } | null,
): Promise<DatasetSource> {
  let progress = last
    ? await stub.finish(lease, last.part, await last.receiver.end(), last.receiver.progress())
    : await stub.progress();
  while (progress && progress.phase !== "ready") progress = await stub.step(lease);
  if (!progress) throw gone(source.id);
  const shape = await stub.shape();
  if (!shape) throw gone(source.id);
  const marked = await markDatasetReady(deps.database, source.id, { columns: shape.columns, rowCount: shape.rows, sizeBytes: shape.bytes });
  if (!marked && (await sourceStatus(deps.database, source.id)) !== "ready") throw gone(source.id);
  await stub.confirm();
  return { ...source, status: "ready", columns: shape.columns, rowCount: shape.rows, sizeBytes: shape.bytes };
}

/** An upload of the caller's still running; a finished one takes no more parts. */
function requireLoading(source: DatasetSource): DatasetSource {
  if (source.status !== "loading") throw new TesseraError("CONFLICT", `${source.id} is complete: it takes no more parts.`);
  return source;
}

/** The file itself is wrong or too big: no retry can help, so nothing of it is kept. */
function endsUpload(error: unknown): boolean {
  return error instanceof TesseraError && ["INVALID_DATASET", "PAYLOAD_TOO_LARGE", "QUOTA_EXCEEDED"].includes(error.code);
}

function gone(id: string): TesseraError {
  return new TesseraError("NOT_FOUND", `No upload ${id}: it was removed (nothing arrived for too long, or it was deleted).`);
}
