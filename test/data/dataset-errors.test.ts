import { describe, expect, it } from "vitest";
import { createDataset, type CreateDatasetInput } from "../../src/data";
import { TesseraError } from "../../src/errors";
import { companyId, datasetObjects, deps, streamOf } from "./helpers";

/** Uploads, expects the error, and checks that the datasets' objects store exactly what they did before. */
async function refused(
  input: Partial<CreateDatasetInput> & Pick<CreateDatasetInput, "body">,
  code: string,
  message: RegExp,
  limits = {},
) {
  const before = await datasetObjects();
  const error = await createDataset(deps, { companyId: companyId(), name: "Bad", format: "csv", ...input }, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TesseraError);
  expect((error as TesseraError).code).toBe(code);
  expect((error as TesseraError).message).toMatch(message);
  expect(await datasetObjects()).toEqual(before);
  return error as TesseraError;
}

/** A valid start, so failures happen after the staging table holds rows. */
function rows(n: number, width = 3): string[] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, k) => `${i}${k}`).join(","));
}

describe("createDataset refuses bad files and leaves nothing behind", () => {
  it("ragged row, naming its line, after megabytes of good rows were staged", async () => {
    const body = ["a,b,c", ...rows(150_000), "1,2", ...rows(10)].join("\n");
    let staged = 0;
    // Counts the row chunks the upload sends its dataset's object.
    const counting = new Proxy(deps.datasets, {
      get(target, key) {
        if (key !== "getByName") return Reflect.get(target, key).bind(target);
        return (name: string) =>
          new Proxy(target.getByName(name), {
            get(stub, method) {
              if (method !== "append") return Reflect.get(stub, method);
              return (lease: string, width: number, chunks: string[], progress: { bytes: number; rows: number }) => {
                staged += chunks.length;
                return stub.append(lease, width, chunks, progress);
              };
            },
          });
      },
    });
    const before = await datasetObjects();
    const e = await createDataset({ ...deps, datasets: counting }, { companyId: companyId(), name: "Bad", format: "csv", body: streamOf(body, 64 * 1024) }).then(
      () => undefined,
      (x: TesseraError) => x,
    );
    if (!(e instanceof TesseraError)) throw new Error("expected a TesseraError");
    expect(e.message).toBe("Line 150002: expected 3 fields as in the header, found 2.");
    expect(e.details).toEqual({ line: 150_002 });
    expect(staged).toBeGreaterThan(4); // rows really reached the staging table before the failure
    expect(await datasetObjects()).toEqual(before);
  });

  it("bad encoding (Latin-1 bytes)", async () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode("name\ncaf"), 0xe9, 0x0a]);
    await refused({ body: streamOf(latin1, 3) }, "INVALID_DATASET", /not valid UTF-8/);
  });

  it("no header: an empty file, or only blank lines", async () => {
    await refused({ body: "" }, "INVALID_DATASET", /empty: expected a header row/);
    await refused({ body: "\n\r\n\n" }, "INVALID_DATASET", /empty/);
    await refused({ body: "[]", format: "json" }, "INVALID_DATASET", /empty/);
  });

  it("empty header cell", async () => {
    await refused({ body: "a,,c\n1,2,3\n" }, "INVALID_DATASET", /^Header: column 2 has no name\.$/);
  });

  it("duplicate column names, case-insensitively", async () => {
    await refused({ body: "id,Name,name\n1,2,3\n" }, "INVALID_DATASET", /^Header: column "name" appears twice \(columns 2 and 3\)\.$/);
  });

  it("too many columns", async () => {
    const header = Array.from({ length: 101 }, (_, i) => `h${i}`).join(",");
    await refused({ body: `${header}\n` }, "INVALID_DATASET", /has 101 columns; at most 100/);
  });

  it("over the size limit, while streaming", async () => {
    const body = ["a,b,c", ...rows(20_000)].join("\n");
    await refused({ body: streamOf(body, 1000) }, "PAYLOAD_TOO_LARGE", /larger than 65536 bytes/, { maxBytes: 65_536 });
  });

  it("a value that doesn't fit an overridden type, naming line and column", async () => {
    const body = ["id,Price", ...Array.from({ length: 3000 }, (_, i) => `${i},${i}.5`), "3000,abc"].join("\n");
    const e = await refused(
      { body, columnTypes: { Price: "real" } },
      "INVALID_DATASET",
      /^Line 3002, column "Price": "abc" is not a valid real\.$/,
    );
    expect(e.details).toEqual({ line: 3002, column: "price" });
  });

  it("an override or index on a column the file doesn't have", async () => {
    await refused({ body: "a\n1\n", columnTypes: { nope: "integer" } }, "INVALID_DATASET", /Column types: the file has no column "nope"/);
    await refused({ body: "a\n1\n", filterable: ["zzz"] }, "INVALID_DATASET", /Filterable columns: the file has no column "zzz"/);
  });

  it("a row over the row size limit", async () => {
    await refused({ body: `a,b\n1,2\n3,${"x".repeat(600)}\n` }, "INVALID_DATASET", /^Line 3: the row is longer than 500 characters\.$/, { maxRowChars: 500 });
  });

  it("an unclosed quote", async () => {
    await refused({ body: 'a,b\n1,"never closed\n2,3\n' }, "INVALID_DATASET", /^Line 2: the quoted field in column 2 is never closed/);
  });

  it("JSON: nested values, unknown fields, non-objects, broken syntax", async () => {
    const json = (text: string) => ({ body: text, format: "json" as const });
    await refused(json('[{"a":1},\n{"a":{"b":2}}]'), "INVALID_DATASET", /^Line 2: field "a" holds an object; only flat values/);
    await refused(json('[{"a":1},\n {"a":2,"z":3}]'), "INVALID_DATASET", /^Line 2: field "z" is not one of the first item's fields/);
    await refused(json("[1,2]"), "INVALID_DATASET", /^Line 1: expected a JSON object/);
    await refused(json('[{"a":1},\n\n{"a":2'), "INVALID_DATASET", /^Line 3: an item is never closed/);
    await refused(json('{"a":1}\n{"a":2}\nnot json\n'), "INVALID_DATASET", /^Line 3: not valid JSON/);
  });

  it("a JSON header with an empty field name", async () => {
    await refused({ body: '[{"":1}]', format: "json" }, "INVALID_DATASET", /Header: column 1 has no name/);
  });
});

describe("createDataset when the catalog fails", () => {
  it("drops the finished table if it cannot be registered", async () => {
    const before = await datasetObjects();
    const brokenDatabase = new Proxy(deps.database, {
      get(target, key) {
        if (key === "prepare") return () => {
          throw new Error("catalog unavailable");
        };
        return Reflect.get(target, key).bind(target);
      },
    });
    await expect(
      createDataset({ ...deps, database: brokenDatabase }, { companyId: companyId(), name: "Orphan", format: "csv", body: "a\n1\n" }),
    ).rejects.toThrow("catalog unavailable");
    expect(await datasetObjects()).toEqual(before);
  });
});
