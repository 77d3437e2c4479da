import { TesseraError } from "../../errors";

export type UploadBody = ReadableStream<Uint8Array> | Uint8Array | ArrayBuffer | string;

export type TextOptions = {
  /** Bytes of the file before this body (earlier parts of the same upload). */
  offset: number;
  /** The first bytes of a character the previous part cut in two. */
  carry: Uint8Array;
  /** Called with the file's byte count so far before each chunk is decoded; throws to stop the read. */
  check(bytes: number, bodyBytes: number): void;
};

/**
 * One body of an upload as text, chunk by chunk, never whole in memory.
 * Decoding is fatal, so a Latin-1 or UTF-16 file is refused instead of stored
 * as mojibake; a BOM at the very start of the file is dropped.
 *
 * A file may arrive in several bodies (an upload in parts), cut anywhere,
 * even inside a character: the bytes of an unfinished character at the end of
 * a body are kept (`carry`) and prefixed to the next one, so each chunk is
 * decoded whole and the decoder keeps no hidden state between requests.
 */
export class UploadText {
  #bytes: number;
  #carry: Uint8Array;
  readonly #body: ReadableStream<Uint8Array>;

  constructor(
    body: UploadBody,
    readonly options: TextOptions,
  ) {
    this.#body = body instanceof ReadableStream ? body : (new Response(body).body as ReadableStream<Uint8Array>);
    this.#bytes = options.offset;
    this.#carry = options.carry;
  }

  /** Bytes of the file read so far, this body included. */
  get bytes(): number {
    return this.#bytes;
  }

  /** What the next body must start with: the bytes of a character this one cut. */
  get carry(): Uint8Array {
    return this.#carry;
  }

  /** The text of the body; with `final`, the file must end with it on a whole character. */
  async *chunks(final: boolean): AsyncGenerator<string> {
    const reader = this.#body.getReader();
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.byteLength === 0) continue;
        const start = this.#bytes;
        this.#bytes += value.byteLength;
        this.options.check(this.#bytes, this.#bytes - this.options.offset);
        const bytes = this.#carry.byteLength ? concat(this.#carry, value) : value;
        const cut = wholeCharacters(bytes);
        this.#carry = bytes.slice(cut);
        const from = start - (bytes.byteLength - value.byteLength);
        let text = decode(decoder, bytes.subarray(0, cut), from, this.#bytes);
        if (from === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        if (text) yield text;
      }
      if (final && this.#carry.byteLength) {
        throw new TesseraError("INVALID_DATASET", "The file is not valid UTF-8 text (bad bytes at its end).");
      }
    } finally {
      // Stops the client's upload early when we fail part-way.
      await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
}

/** How many leading bytes end on a whole character: an unfinished sequence at the end is left for later. */
function wholeCharacters(bytes: Uint8Array): number {
  const n = bytes.byteLength;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return back < length ? n - back : n;
  }
  return n; // no lead byte at all: let the decoder refuse it
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

function decode(decoder: TextDecoder, chunk: Uint8Array, from: number, to: number): string {
  try {
    return decoder.decode(chunk);
  } catch {
    throw new TesseraError("INVALID_DATASET", `The file is not valid UTF-8 text (bad bytes between bytes ${from + 1} and ${to}).`);
  }
}
