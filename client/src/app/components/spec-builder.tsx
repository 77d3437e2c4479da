import type { DataSourceView } from "../upload";
import { Field } from "./forms";

/**
 * A guided way to write a product's query spec for a hosted dataset. It only
 * writes JSON; the JSON (editable by hand) is what gets saved, and the worker
 * checks it. Origins get a template to edit.
 */
export type Shape = "endpoint" | "calculation" | "visualization";

export interface Guide {
  columns: string[];
  filters: string[];
  sort: string;
  sortDir: "asc" | "desc";
  fn: "count" | "sum" | "avg" | "min" | "max";
  column: string;
  groupBy: string;
  display: "number" | "percentage";
  chart: "bar" | "line";
  title: string;
}

export function initialGuide(source: DataSourceView | undefined): Guide {
  const columns = source?.kind === "dataset" ? source.columns : [];
  const numeric = columns.find((c) => c.type === "integer" || c.type === "real");
  const label = columns.find((c) => c.type === "text");
  return {
    columns: columns.map((c) => c.name),
    filters: columns.filter((c) => c.filterable).map((c) => c.name),
    sort: "",
    sortDir: "asc",
    fn: numeric ? "sum" : "count",
    column: numeric?.name ?? "",
    groupBy: label?.name ?? "",
    display: "number",
    chart: "bar",
    title: "",
  };
}

export function specOf(shape: Shape, source: DataSourceView | undefined, g: Guide): Record<string, unknown> {
  if (!source || source.kind === "origin") {
    return { filters: [{ param: "q", type: "text", required: false, description: "Passed to your API as ?q=" }] };
  }
  const filters = g.filters.map((c) => ({ param: c, column: c, op: "eq" }));
  if (shape === "endpoint") {
    const all = g.columns.length === source.columns.length;
    return {
      ...(all || g.columns.length === 0 ? {} : { columns: g.columns.map((column) => ({ column })) }),
      filters,
      ...(g.sort ? { sort: { default: [{ column: g.sort, dir: g.sortDir }], allowed: [g.sort] } } : {}),
    };
  }
  const aggregate: Record<string, unknown> = { fn: g.fn, ...(g.fn !== "count" && g.column ? { column: g.column } : {}) };
  if (shape === "calculation") return { filters, aggregate: { ...aggregate, display: g.display } };
  return { filters, aggregate: { ...aggregate, groupBy: g.groupBy }, chart: { type: g.chart, ...(g.title ? { title: g.title } : {}) } };
}

export function SpecGuide({ shape, source, guide, onChange }: { shape: Shape; source: DataSourceView | undefined; guide: Guide; onChange: (g: Guide) => void }) {
  if (!source) return <p className="muted">Pick a data source first.</p>;
  if (source.kind === "origin") {
    return <p className="muted small">Your API gets each declared filter as a query parameter. Edit the spec below: each filter needs a param name and a type.</p>;
  }
  const cols = source.columns;
  const set = <K extends keyof Guide>(key: K, value: Guide[K]) => onChange({ ...guide, [key]: value });
  const toggle = (key: "columns" | "filters", name: string) =>
    set(key, guide[key].includes(name) ? guide[key].filter((c) => c !== name) : [...guide[key], name]);
  return (
    <div className="stack">
      {shape === "endpoint" ? (
        <fieldset className="choices">
          <legend>Columns returned</legend>
          {cols.map((c) => (
            <label key={c.name}>
              <input type="checkbox" checked={guide.columns.includes(c.name)} onChange={() => toggle("columns", c.name)} /> {c.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <fieldset className="choices">
        <legend>Filters buyers may pass</legend>
        {cols.map((c) => (
          <label key={c.name}>
            <input type="checkbox" checked={guide.filters.includes(c.name)} onChange={() => toggle("filters", c.name)} /> {c.name}
          </label>
        ))}
      </fieldset>
      {shape === "endpoint" ? (
        <div className="grid two tight">
          <Field label="Sort by">
            <select value={guide.sort} onChange={(e) => set("sort", e.target.value)}>
              <option value="">Upload order</option>
              {cols.map((c) => (
                <option key={c.name}>{c.name}</option>
              ))}
            </select>
          </Field>
          <Field label="Direction">
            <select value={guide.sortDir} onChange={(e) => set("sortDir", e.target.value as Guide["sortDir"])}>
              <option value="asc">Ascending</option>
              <option value="desc">Descending</option>
            </select>
          </Field>
        </div>
      ) : (
        <div className="grid three tight">
          <Field label="Aggregate">
            <select value={guide.fn} onChange={(e) => set("fn", e.target.value as Guide["fn"])}>
              {["count", "sum", "avg", "min", "max"].map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </Field>
          {guide.fn !== "count" ? (
            <Field label="Of column">
              <select value={guide.column} onChange={(e) => set("column", e.target.value)}>
                {cols.map((c) => (
                  <option key={c.name}>{c.name}</option>
                ))}
              </select>
            </Field>
          ) : null}
          {shape === "visualization" ? (
            <Field label="Per (group by)">
              <select value={guide.groupBy} onChange={(e) => set("groupBy", e.target.value)}>
                {cols.map((c) => (
                  <option key={c.name}>{c.name}</option>
                ))}
              </select>
            </Field>
          ) : (
            <Field label="Show as">
              <select value={guide.display} onChange={(e) => set("display", e.target.value as Guide["display"])}>
                <option value="number">Number</option>
                <option value="percentage">Percentage</option>
              </select>
            </Field>
          )}
        </div>
      )}
      {shape === "visualization" ? (
        <div className="grid two tight">
          <Field label="Chart">
            <select value={guide.chart} onChange={(e) => set("chart", e.target.value as Guide["chart"])}>
              <option value="bar">Bar</option>
              <option value="line">Line</option>
            </select>
          </Field>
          <Field label="Chart title">
            <input value={guide.title} onChange={(e) => set("title", e.target.value)} />
          </Field>
        </div>
      ) : null}
    </div>
  );
}

/** A spec as typed in its JSON box: the parsed spec, or the message to show under the box. */
export function parseSpecText(text: string): { ok: true; spec: Record<string, unknown> } | { ok: false; error: string } {
  try {
    return { ok: true, spec: JSON.parse(text) };
  } catch {
    return { ok: false, error: "The query spec is not valid JSON." };
  }
}
