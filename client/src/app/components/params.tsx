import { Field } from "./forms";

/** The parameters a product's filters take, one input each. */
export function ParamsForm({
  filters,
  values,
  onChange,
}: {
  filters: { param: string; required?: boolean; description?: string }[];
  values: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
}) {
  if (filters.length === 0) return <p className="muted small">No filters: it runs over all the data.</p>;
  return (
    <div className="grid three tight">
      {filters.map((f) => (
        <Field key={f.param} label={`${f.param}${f.required ? " (required)" : ""}`} hint={f.description}>
          <input value={values[f.param] ?? ""} onChange={(e) => onChange({ ...values, [f.param]: e.target.value })} />
        </Field>
      ))}
    </div>
  );
}

export function cleanParams(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ""));
}

/** The curl command that fetches a page of an endpoint with a key. */
export function curlLine(endpointId: string, secret: string): string {
  return `curl -s "${window.location.origin}/v1/endpoints/${endpointId}?page_size=100" -H "x-api-key: ${secret}"`;
}
