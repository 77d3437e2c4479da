import { TesseraError } from "../../errors";

/** One CSV record and the line it starts on (1-based, as an editor shows it). */
export type CsvRecord = { line: number; cells: string[] };

export type CsvState = { pending: string; line: number };

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * An incremental RFC 4180 parser: quoted fields, `""` escapes, CRLF / LF / CR
 * line ends, line breaks inside quotes. Text arrives in arbitrary chunks; the
 * unfinished tail record is kept and parsed again with the next chunk, so a
 * record split anywhere (even between `"` and `"`) comes out the same.
 * Blank lines are skipped. A quote inside an unquoted field is kept as text
 * (`5'10"`), as most spreadsheets write it.
 */
export class CsvParser {
  #pending = "";
  #line = 1;

  constructor(readonly maxRecordChars = 200_000) {}

  /** Where the parse stands, as plain data: an upload in parts resumes from it in another request. */
  save(): CsvState {
    return { pending: this.#pending, line: this.#line };
  }

  load(state: CsvState): void {
    this.#pending = state.pending;
    this.#line = state.line;
  }

  push(text: string): CsvRecord[] {
    return this.#run(this.#pending + text, false);
  }

  end(): CsvRecord[] {
    return this.#run(this.#pending, true);
  }

  #run(text: string, final: boolean): CsvRecord[] {
    const { records, consumed, line } = parseCsv(text, final, this.#line);
    this.#pending = text.slice(consumed);
    this.#line = line;
    if (this.#pending.length > this.maxRecordChars) {
      throw invalid(line, `a row is longer than ${this.maxRecordChars} characters (is a quote never closed?)`);
    }
    return records;
  }
}

/**
 * Parses whole records from `text`. Without `final`, stops before a record
 * that may continue in the next chunk and reports how much it consumed.
 */
export function parseCsv(
  text: string,
  final: boolean,
  startLine = 1,
): { records: CsvRecord[]; consumed: number; line: number } {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = startLine;
  let consumed = 0;
  let consumedLine = startLine;

  records: while (i < n) {
    const recordLine = line;
    const cells: string[] = [];
    let quoted = false;
    for (;;) {
      if (i < n && text.charCodeAt(i) === QUOTE) {
        quoted = true;
        let value = "";
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1) {
            if (final) throw invalid(recordLine, `the quoted field in column ${cells.length + 1} is never closed`);
            break records;
          }
          value += text.slice(j, q);
          if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            j = q + 2;
            continue;
          }
          // A quote at the very end of a chunk may be the first of a `""` pair.
          if (q + 1 >= n && !final) break records;
          i = q + 1;
          break;
        }
        line += countLineBreaks(value);
        const next = i < n ? text.charCodeAt(i) : -1;
        if (next !== COMMA && next !== LF && next !== CR && next !== -1) {
          throw invalid(line, `unexpected text after the closing quote in column ${cells.length + 1}`);
        }
        cells.push(value);
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          j++;
        }
        if (j >= n && !final) break records;
        cells.push(text.slice(i, j));
        i = j;
      }
      if (i >= n) break; // end of input ends the record
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === CR) {
        if (i + 1 >= n && !final) break records; // maybe the CR of a CRLF
        i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else {
        i++;
      }
      line++;
      break;
    }
    const blank = cells.length === 1 && cells[0] === "" && !quoted;
    if (!blank) records.push({ line: recordLine, cells });
    consumed = i;
    consumedLine = line;
  }
  return { records, consumed, line: consumedLine };
}

function countLineBreaks(s: string): number {
  let count = 0;
  for (let k = s.indexOf("\n"); k !== -1; k = s.indexOf("\n", k + 1)) count++;
  return count;
}

function invalid(line: number, message: string): TesseraError {
  return new TesseraError("INVALID_DATASET", `Line ${line}: ${message}.`, { line });
}
