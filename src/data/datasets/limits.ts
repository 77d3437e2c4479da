import { TesseraError } from "../../errors";

export type DatasetLimits = {
  /** Largest dataset, in uploaded bytes: its staging copy, typed copy and indexes must fit its object's 10 GB. */
  maxBytes: number;
  /** Largest request body. Cloudflare refuses bodies over 100 MB on Free and Pro plans (200 MB Business, 500 MB Enterprise) before the Worker sees them; larger files come in parts. */
  maxPartBytes: number;
  /** SQLite in a Durable Object allows 100 columns per table. */
  maxColumns: number;
  /** Longest single row, in characters (a row is stored as one JSON value, at most 2 MB). */
  maxRowChars: number;
  /** What all of one seller's hosted datasets may add up to, in uploaded bytes. */
  quotaBytes: number;
};

const MB = 1024 * 1024;

export const defaultDatasetLimits: DatasetLimits = {
  maxBytes: 2048 * MB,
  maxPartBytes: 100 * MB,
  maxColumns: 100,
  maxRowChars: 200_000,
  quotaBytes: 5120 * MB,
};

/** The limits in force: the defaults, with the quota from `DATASET_QUOTA_MB` when set. */
export function datasetLimits(env: { DATASET_QUOTA_MB?: string }): DatasetLimits {
  const mb = Number(env.DATASET_QUOTA_MB);
  return Number.isFinite(mb) && mb > 0 ? { ...defaultDatasetLimits, quotaBytes: Math.floor(mb * MB) } : defaultDatasetLimits;
}

/**
 * The byte checks of an upload, made before a byte is accepted (with the
 * announced Content-Length) and again as bytes arrive (with the running total).
 * `used` is what the seller's other datasets already take.
 */
export function checkBytes(limits: DatasetLimits, at: { used: number; fileBytes: number; bodyBytes: number }): void {
  if (at.bodyBytes > limits.maxPartBytes) {
    throw new TesseraError(
      "PAYLOAD_TOO_LARGE",
      `One request may carry at most ${formatBytes(limits.maxPartBytes)}; send a larger file in parts (POST /v1/datasets/uploads).`,
    );
  }
  if (at.fileBytes > limits.maxBytes) throw new TesseraError("PAYLOAD_TOO_LARGE", `The file is larger than ${formatBytes(limits.maxBytes)}.`);
  if (at.used + at.fileBytes > limits.quotaBytes) {
    throw new TesseraError(
      "QUOTA_EXCEEDED",
      `Your hosted datasets may take ${formatBytes(limits.quotaBytes)} in all; ${roughly(at.used)} are used, so this upload does not fit. Delete datasets you no longer need, or ask us for more room.`,
      { quotaBytes: limits.quotaBytes, usedBytes: at.used },
    );
  }
}

export function formatBytes(n: number): string {
  if (n % (1024 * MB) === 0 && n > 0) return `${n / (1024 * MB)} GB`;
  if (n % MB === 0 && n > 0) return `${n / MB} MB`;
  return `${n} bytes`;
}

function roughly(n: number): string {
  return n % MB === 0 ? formatBytes(n) : `${(n / MB).toFixed(1)} MB`;
}
