import { TesseraError } from "../../errors";
import { resolveParams } from "../query/params";
import { parseSpec, type QuerySpec, type QuerySpecInput } from "../query/schema";
import type { OriginParams } from "./call";

/**
 * The buyer's parameters for an origin-backed product, checked against the
 * spec's declared `filters` (each needs a `type`; `column` is unused). The
 * same INVALID_FILTER errors as for datasets, before any call is made.
 */
export function originParams(specInput: QuerySpecInput | QuerySpec, raw: Record<string, unknown>): OriginParams {
  const spec = parseSpec(specInput);
  const declared = spec.filters.map((f, i) => {
    if (!f.type) throw new TesseraError("BAD_REQUEST", `Query spec: filters.${i}.type is required for an HTTP origin.`);
    return { param: f.param, type: f.type, op: f.op, required: f.required, default: f.default };
  });
  const { sort, ...rest } = raw;
  const values = resolveParams(declared, rest);
  const out: OriginParams = {};
  for (const d of declared) {
    const v = values.get(d.param);
    if (v === undefined) continue;
    // Booleans are bound as 1/0 for SQL; an origin reads true/false.
    const show = (x: string | number) => (d.type === "boolean" ? x === 1 : x);
    out[d.param] = Array.isArray(v) ? v.map((x) => String(show(x))) : show(v);
  }
  if (typeof sort === "string" && sort) out.sort = sort;
  return out;
}
