import { beforeAll, describe, expect, it } from "vitest";
import { createDataset, runCalculation, runVisualization, type DatasetSource, type QuerySpecInput } from "../../src/data";
import { TesseraError } from "../../src/errors";
import { companyId, deps, queries } from "./helpers";

let source: DatasetSource;
const db = () => queries;

// 12 rows: 3 per region; amount = row number; churned on rows 3, 6, 9, 12.
beforeAll(async () => {
  const regions = ["EU", "US", "APAC", "<LATAM & Co>"];
  const lines = ["row,region,amount,churned,month"];
  for (let i = 1; i <= 12; i++) lines.push(`${i},${regions[(i - 1) % 4]},${i},${i % 3 === 0},2024-${String(((i - 1) % 3) + 1).padStart(2, "0")}`);
  source = await createDataset(deps, { companyId: companyId(), name: "Churn", format: "csv", body: lines.join("\n") });
});

const calc = (aggregate: Record<string, unknown>, extra: Partial<QuerySpecInput> = {}) =>
  ({ aggregate, ...extra }) as QuerySpecInput;

describe("calculations", () => {
  it("count, sum, avg, min, max", async () => {
    expect(await runCalculation(db(), source, calc({ fn: "count" }), {})).toEqual({ value: 12, kind: "number" });
    expect(await runCalculation(db(), source, calc({ fn: "sum", column: "amount" }), {})).toEqual({ value: 78, kind: "number" });
    expect(await runCalculation(db(), source, calc({ fn: "avg", column: "amount" }), {})).toEqual({ value: 6.5, kind: "number" });
    expect(await runCalculation(db(), source, calc({ fn: "max", column: "region" }), {})).toEqual({ value: "US", kind: "string" });
    expect(await runCalculation(db(), source, calc({ fn: "min", column: "amount" }), {})).toEqual({ value: 1, kind: "number" });
  });

  it("respects the buyer's filters and the seller's where", async () => {
    const spec = calc(
      { fn: "sum", column: "amount" },
      { filters: [{ param: "region", column: "region", required: true }], where: [{ column: "amount", op: "gt", value: 1 }] },
    );
    expect(await runCalculation(db(), source, spec, { region: "EU" })).toEqual({ value: 5 + 9, kind: "number" });
    await expect(runCalculation(db(), source, spec, {})).rejects.toMatchObject({ code: "INVALID_FILTER" });
  });

  it("a percentage: the share of churned rows", async () => {
    const spec = calc({ fn: "avg", column: "churned", display: "percentage" });
    expect(await runCalculation(db(), source, spec, {})).toEqual({ value: 33.333333, kind: "percentage" });
  });

  it("no matching rows gives null (count gives 0)", async () => {
    const spec = (fn: string) => calc({ fn, column: "amount" }, { where: [{ column: "amount", op: "gt", value: 100 }] });
    expect(await runCalculation(db(), source, spec("avg"), {})).toEqual({ value: null, kind: "number" });
    expect(await runCalculation(db(), source, spec("count"), {})).toEqual({ value: 0, kind: "number" });
  });

  it("refuses specs that don't make a calculation", async () => {
    await expect(runCalculation(db(), source, {}, {})).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Query spec: this product has no aggregate." });
    await expect(runCalculation(db(), source, calc({ fn: "sum" }), {})).rejects.toMatchObject({ message: /aggregate.column is required for sum/ });
    await expect(runCalculation(db(), source, calc({ fn: "avg", column: "region" }), {})).rejects.toMatchObject({ message: /avg needs a number column/ });
    const grouped = calc({ fn: "count", groupBy: "region" });
    await expect(runCalculation(db(), source, grouped, {})).rejects.toBeInstanceOf(TesseraError);
  });
});

describe("visualizations", () => {
  it("groups, charts and renders the aggregate with escaped labels", async () => {
    const spec = calc({ fn: "sum", column: "amount", groupBy: "region" }, { chart: { type: "bar", title: "Revenue <by> region" } });
    const { chart, svg } = await runVisualization(db(), source, spec, {});
    expect(chart).toEqual({
      type: "bar",
      title: "Revenue <by> region",
      points: [
        { label: "<LATAM & Co>", value: 4 + 8 + 12 },
        { label: "APAC", value: 3 + 7 + 11 },
        { label: "EU", value: 1 + 5 + 9 },
        { label: "US", value: 2 + 6 + 10 },
      ],
    });
    expect(svg).toContain("&lt;LATAM &amp; Co&gt;");
    expect(svg).toContain("Revenue &lt;by&gt; region");
    expect(svg).not.toContain("<LATAM");
  });

  it("a line chart over months with the default title", async () => {
    const spec = calc({ fn: "count", groupBy: "month" }, { chart: { type: "line" } });
    const { chart, svg } = await runVisualization(db(), source, spec, {});
    expect(chart.title).toBe("count of rows by month");
    expect(chart.points).toEqual([
      { label: "2024-01", value: 4 },
      { label: "2024-02", value: 4 },
      { label: "2024-03", value: 4 },
    ]);
    expect(svg).toContain("<polyline");
  });

  it("needs a groupBy", async () => {
    await expect(runVisualization(db(), source, calc({ fn: "count" }), {})).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
