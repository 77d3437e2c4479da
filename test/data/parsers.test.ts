import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvParser, parseCsv } from "../../src/data/datasets/csv";
import { JsonParser } from "../../src/data/datasets/json";
import { TesseraError } from "../../src/errors";

function csvAll(text: string, cuts: number[] = []) {
  const parser = new CsvParser();
  const out = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(...parser.push(text.slice(at, cut)));
    at = cut;
  }
  out.push(...parser.push(text.slice(at)), ...parser.end());
  return out;
}

function expectInvalid(f: () => unknown, message: RegExp) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TesseraError);
    expect((e as TesseraError).code).toBe("INVALID_DATASET");
    expect((e as TesseraError).message).toMatch(message);
    return;
  }
  throw new Error("expected INVALID_DATASET");
}

describe("CSV parser", () => {
  it("reads quoted fields, escaped quotes, CRLF and line breaks inside quotes", () => {
    const text = 'a,b,c\r\n1,"x, ""y""",3\r\n"multi\nline",,"last"\n';
    expect(csvAll(text)).toEqual([
      { line: 1, cells: ["a", "b", "c"] },
      { line: 2, cells: ["1", 'x, "y"', "3"] },
      { line: 3, cells: ["multi\nline", "", "last"] },
    ]);
  });

  it("counts lines across multi-line fields and skips blank lines", () => {
    const records = csvAll('h\n"a\nb\nc"\n\n\nz');
    expect(records).toEqual([
      { line: 1, cells: ["h"] },
      { line: 2, cells: ["a\nb\nc"] },
      { line: 7, cells: ["z"] },
    ]);
  });

  it("keeps a quote inside an unquoted field as text and reads a trailing empty field", () => {
    expect(csvAll(`h1,h2\n5'10",\n`)).toEqual([
      { line: 1, cells: ["h1", "h2"] },
      { line: 2, cells: [`5'10"`, ""] },
    ]);
  });

  it("refuses a quote that is never closed, naming its line", () => {
    expectInvalid(() => csvAll('a\n1\n"open\n2\n'), /^Line 3: the quoted field in column 1 is never closed/);
  });

  it("refuses text after a closing quote", () => {
    expectInvalid(() => csvAll('a,b\n"x"y,2\n'), /^Line 2: unexpected text after the closing quote in column 1/);
  });

  it("refuses a runaway row instead of buffering the whole upload", () => {
    const parser = new CsvParser(1000);
    expectInvalid(() => parser.push(`a\n"${"x".repeat(2000)}`), /longer than 1000 characters/);
  });

  it("gives the same records however the text is cut into chunks", () => {
    const cell = fc.oneof(fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r", " ", "é") }), fc.constant(""));
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (rows, rawCuts, crlf) => {
        // Quote every field so empty rows stay rows; rows are never blank.
        const eol = crlf ? "\r\n" : "\n";
        const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")).join(eol) + eol;
        const cuts = rawCuts.map((n) => n % (text.length + 1));
        const whole = parseCsv(text, true).records.map((r) => r.cells);
        expect(whole).toEqual(rows);
        expect(csvAll(text, cuts).map((r) => r.cells)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});

describe("CSV parser, unquoted fields", () => {
  it("gives the same records however the text is cut into chunks", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", " ", "'", "é", "1"), minLength: 1 });
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom("\n", "\r\n", "\r"), (rows, rawCuts, eol) => {
        const text = rows.map((r) => r.join(",")).join(eol);
        const cuts = rawCuts.map((n) => n % (text.length + 1));
        expect(csvAll(text, cuts).map((r) => r.cells)).toEqual(rows);
        expect(csvAll(text, cuts).map((r) => r.line)).toEqual(rows.map((_, i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });
});

describe("JSON parser", () => {
  function jsonAll(text: string, format: "json" | "ndjson" = "json", cuts: number[] = []) {
    const parser = new JsonParser(format);
    const out = [];
    let at = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      out.push(...parser.push(text.slice(at, cut)));
      at = cut;
    }
    out.push(...parser.push(text.slice(at)), ...parser.end());
    return out;
  }

  it("streams the items of an array with their lines, brackets inside strings included", () => {
    const text = '[\n {"a": "x]}", "b": 1},\n {"a": "\\"q\\"", "b": null}\n]\n';
    expect(jsonAll(text)).toEqual([
      { line: 2, value: { a: "x]}", b: 1 } },
      { line: 3, value: { a: '"q"', b: null } },
    ]);
  });

  it("reads NDJSON, detected from the first character", () => {
    expect(jsonAll('{"a":1}\r\n\n{"a":2}')).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { a: 2 } },
    ]);
  });

  it("names the line of bad JSON, a trailing comma and an unclosed array", () => {
    expectInvalid(() => jsonAll('[{"a":1},\n{"a":}]'), /^Line 2: not valid JSON/);
    expectInvalid(() => jsonAll('[{"a":1},\n]'), /^Line 2: expected an item before "\]"/);
    expectInvalid(() => jsonAll('[{"a":1}'), /never closed/);
    expectInvalid(() => jsonAll('{"a":1}\n{"a":2\n', "ndjson"), /^Line 2: not valid JSON/);
  });

  it("gives the same items however the text is cut into chunks", () => {
    const item = fc.dictionary(fc.constantFrom("a", "b", "c"), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), (items, rawCuts) => {
        const text = JSON.stringify(items, null, items.length % 2 ? 2 : undefined);
        const cuts = rawCuts.map((n) => n % (text.length + 1));
        expect(jsonAll(text, "json", cuts).map((i) => i.value)).toEqual(items);
      }),
      { numRuns: 200 },
    );
  });
});
