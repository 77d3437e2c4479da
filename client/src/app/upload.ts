import type { Outputs } from "./api";
import { UploadError } from "./api";
import { CSRF } from "./csrf";

export type DataSourceView = Outputs["dataSources"]["list"]["items"][number];
export type DatasetFormat = "csv" | "json" | "ndjson";

export function formatOfFile(name: string): DatasetFormat | undefined {
  const ext = name.toLowerCase().split(".").pop();
  return ext === "csv" ? "csv" : ext === "json" ? "json" : ext === "ndjson" || ext === "jsonl" ? "ndjson" : undefined;
}

/**
 * Uploads a file to `POST /v1/datasets` (REST, not tRPC: the body is the raw
 * file, streamed by the worker). XMLHttpRequest rather than fetch because it
 * reports upload progress. The session cookie rides along; the CSRF header
 * makes it count.
 */
export function uploadDataset(
  file: File,
  opts: { name: string; format: DatasetFormat; filterable?: string[] },
  onProgress: (stage: "sending" | "loading", fraction: number | null) => void,
): Promise<DataSourceView> {
  const url = new URL("/v1/datasets", window.location.origin);
  url.searchParams.set("name", opts.name);
  url.searchParams.set("format", opts.format);
  if (opts.filterable?.length) url.searchParams.set("filterable", opts.filterable.join(","));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader(CSRF.header, CSRF.value);
    xhr.setRequestHeader("content-type", opts.format === "csv" ? "text/csv" : opts.format === "json" ? "application/json" : "application/x-ndjson");
    xhr.upload.onprogress = (e) => onProgress("sending", e.lengthComputable ? e.loaded / e.total : null);
    // Every byte is sent: the worker is now parsing rows into the table.
    xhr.upload.onload = () => onProgress("loading", null);
    xhr.onerror = () => reject(new UploadError("NETWORK", "The upload was cut off. Check your connection and try again."));
    xhr.onload = () => {
      let body: { data?: DataSourceView; error?: { code: string; message: string } } | undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201 && body?.data) resolve(body.data);
      else reject(new UploadError(body?.error?.code ?? "INTERNAL", body?.error?.message ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.send(file);
  });
}
