import { TesseraError } from "../../errors";

export type UploadBody = ReadableStream<Uint8Array> | Uint8Array | ArrayBuffer | string;

/**
 * The upload as text, chunk by chunk, never whole in memory. Decoding is
 * fatal, so a Latin-1 or UTF-16 file is refused instead of stored as mojibake;
 * a leading BOM is dropped. Counting stops the read as soon as the size limit
 * is passed, whatever Content-Length claimed.
 */
export class UploadText {
  #bytes = 0;
  readonly #body: ReadableStream<Uint8Array>;

  constructor(
    body: UploadBody,
    readonly maxBytes: number,
  ) {
    this.#body = body instanceof ReadableStream ? body : (new Response(body).body as ReadableStream<Uint8Array>);
  }

  /** Bytes read so far: the dataset's size once the read is done. */
  get bytes(): number {
    return this.#bytes;
  }

  async *chunks(): AsyncGenerator<string> {
    const reader = this.#body.getReader();
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }); // ignoreBOM false: a leading BOM is dropped
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const start = this.#bytes;
        this.#bytes += value.byteLength;
        if (this.#bytes > this.maxBytes) {
          throw new TesseraError("PAYLOAD_TOO_LARGE", `The file is larger than ${formatBytes(this.maxBytes)}.`);
        }
        yield decode(decoder, value, start, this.#bytes);
      }
      yield decode(decoder, undefined, this.#bytes, this.#bytes);
    } finally {
      // Stops the client's upload early when we fail part-way.
      await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
}

function decode(decoder: TextDecoder, chunk: Uint8Array | undefined, from: number, to: number): string {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch {
    const where = chunk ? `between bytes ${from + 1} and ${to}` : "at its end";
    throw new TesseraError("INVALID_DATASET", `The file is not valid UTF-8 text (bad bytes ${where}).`);
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}
