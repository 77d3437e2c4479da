import { TesseraError } from "../../errors";

/** One JSON item (a flat object, not yet checked) and the line it starts on. */
export type JsonItem = { line: number; value: unknown };

type Parser = { push(text: string): JsonItem[]; end(): JsonItem[]; save(): InnerState };

type Expect = "open" | "item-or-close" | "comma-or-close" | "item" | "done";
type InnerState = { kind: "array"; pending: string; line: number; expect: Expect } | { kind: "lines"; pending: string; line: number };

/** Where a JSON parse stands, as plain data (see `CsvParser.save`). */
export type JsonState = { head: string; inner: InnerState | null };

/**
 * Parses JSON uploads as a stream: either one array of objects (`[{...},
 * {...}]`) or NDJSON (one object per line), told apart by the first
 * character. The array is never parsed whole: a small scanner finds where
 * each top-level item ends and `JSON.parse` reads just that item, so memory
 * stays at one item however large the file.
 */
export class JsonParser {
  #inner: Parser | undefined;
  #head = "";

  constructor(
    readonly format: "json" | "ndjson",
    readonly maxRecordChars = 200_000,
  ) {
    if (format === "ndjson") this.#inner = new NdjsonParser(maxRecordChars);
  }

  push(text: string): JsonItem[] {
    if (this.#inner) return this.#inner.push(text);
    this.#head += text;
    const first = /\S/.exec(this.#head);
    if (!first) return [];
    this.#inner = first[0] === "[" ? new JsonArrayParser(this.maxRecordChars) : new NdjsonParser(this.maxRecordChars);
    const head = this.#head;
    this.#head = "";
    return this.#inner.push(head);
  }

  end(): JsonItem[] {
    return this.#inner ? this.#inner.end() : [];
  }

  save(): JsonState {
    return { head: this.#head, inner: this.#inner?.save() ?? null };
  }

  load(state: JsonState): void {
    this.#head = state.head;
    const inner = state.inner;
    if (!inner) return;
    if (inner.kind === "array") {
      const parser = new JsonArrayParser(this.maxRecordChars);
      parser.load(inner);
      this.#inner = parser;
    } else {
      const parser = new NdjsonParser(this.maxRecordChars);
      parser.load(inner);
      this.#inner = parser;
    }
  }
}

const WS = new Set([32, 9, 10, 13]);

class JsonArrayParser implements Parser {
  #pending = "";
  #line = 1;
  /** What may come next at the top level. */
  #expect: Expect = "open";

  constructor(readonly maxRecordChars: number) {}

  save(): InnerState {
    return { kind: "array", pending: this.#pending, line: this.#line, expect: this.#expect };
  }

  load(state: Extract<InnerState, { kind: "array" }>): void {
    this.#pending = state.pending;
    this.#line = state.line;
    this.#expect = state.expect;
  }

  push(text: string): JsonItem[] {
    return this.#run(this.#pending + text, false);
  }

  end(): JsonItem[] {
    const items = this.#run(this.#pending, true);
    if (this.#expect !== "done") throw invalid(this.#line, "the JSON array is never closed");
    return items;
  }

  #run(text: string, final: boolean): JsonItem[] {
    const items: JsonItem[] = [];
    const n = text.length;
    let i = 0;
    let line = this.#line;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (WS.has(c)) {
        if (c === 10) line++;
        i++;
        continue;
      }
      const ch = text[i];
      if (this.#expect === "open") {
        if (ch !== "[") throw invalid(line, "expected a JSON array");
        this.#expect = "item-or-close";
        i++;
      } else if (this.#expect === "done") {
        throw invalid(line, "unexpected text after the JSON array");
      } else if (ch === "]" && this.#expect !== "item") {
        this.#expect = "done";
        i++;
      } else if (ch === "," && this.#expect === "comma-or-close") {
        this.#expect = "item";
        i++;
      } else if (this.#expect === "comma-or-close") {
        throw invalid(line, 'expected "," or "]" after an item');
      } else if (ch === "," || ch === "]") {
        throw invalid(line, `expected an item before "${ch}"`);
      } else {
        const end = scanValue(text, i);
        if (end === -1) {
          if (final) throw invalid(line, "an item is never closed");
          break;
        }
        const source = text.slice(i, end);
        items.push({ line, value: parseItem(source, line) });
        line += countLineBreaks(source);
        this.#expect = "comma-or-close";
        i = end;
      }
    }
    this.#pending = text.slice(i);
    this.#line = line;
    if (this.#pending.length > this.maxRecordChars) {
      throw invalid(line, `an item is longer than ${this.maxRecordChars} characters`);
    }
    return items;
  }
}

/**
 * The end (exclusive) of the JSON value starting at `start`, or -1 if the text
 * ends first. Tracks strings and escapes so brackets inside strings don't count.
 */
function scanValue(text: string, start: number): number {
  const n = text.length;
  const first = text.charCodeAt(start);
  if (first !== 123 && first !== 91 && first !== 34) {
    // A bare scalar: up to the next delimiter.
    let j = start;
    while (j < n && !WS.has(text.charCodeAt(j)) && text[j] !== "," && text[j] !== "]") j++;
    return j >= n ? -1 : j;
  }
  let depth = 0;
  let inString = false;
  for (let j = start; j < n; j++) {
    const c = text.charCodeAt(j);
    if (inString) {
      if (c === 92) j++; // backslash: skip the escaped character
      else if (c === 34) {
        inString = false;
        if (depth === 0) return j + 1;
      }
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

class NdjsonParser implements Parser {
  #pending = "";
  #line = 1;

  constructor(readonly maxRecordChars: number) {}

  save(): InnerState {
    return { kind: "lines", pending: this.#pending, line: this.#line };
  }

  load(state: { pending: string; line: number }): void {
    this.#pending = state.pending;
    this.#line = state.line;
  }

  push(text: string): JsonItem[] {
    const all = this.#pending + text;
    const cut = all.lastIndexOf("\n");
    this.#pending = cut === -1 ? all : all.slice(cut + 1);
    if (this.#pending.length > this.maxRecordChars) {
      throw invalid(this.#line, `a line is longer than ${this.maxRecordChars} characters`);
    }
    return cut === -1 ? [] : this.#lines(all.slice(0, cut).split("\n"));
  }

  end(): JsonItem[] {
    const rest = this.#pending;
    this.#pending = "";
    return this.#lines([rest]);
  }

  #lines(lines: string[]): JsonItem[] {
    const items: JsonItem[] = [];
    for (const raw of lines) {
      const text = raw.trim();
      if (text) items.push({ line: this.#line, value: parseItem(text, this.#line) });
      this.#line++;
    }
    return items;
  }
}

function parseItem(source: string, line: number): unknown {
  try {
    return JSON.parse(source);
  } catch (e) {
    throw invalid(line, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

function countLineBreaks(s: string): number {
  let count = 0;
  for (let k = s.indexOf("\n"); k !== -1; k = s.indexOf("\n", k + 1)) count++;
  return count;
}

function invalid(line: number, message: string): TesseraError {
  return new TesseraError("INVALID_DATASET", `Line ${line}: ${message}.`, { line });
}
