import { TesseraError } from "../../errors";
import { isIsoDate } from "../datasets/values";
import type { ColumnType } from "../types";
import { reservedParams, type Operator } from "./schema";

/** A value ready to bind: numbers for integer/real/boolean, text otherwise; arrays for `in`. */
export type BoundValue = number | string | (number | string)[];

/** A declared parameter with its type settled (the column's, for datasets). */
export type DeclaredParam = {
  param: string;
  type: ColumnType;
  op: Operator;
  required: boolean;
  default?: unknown;
};

const MAX_TEXT = 1000;
const MAX_LIST = 100;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The buyer's parameters, checked against what the seller declared. Every
 * problem is INVALID_FILTER naming the parameter; nothing about SQL leaks.
 * `sort` is let through (the compiler checks it); `cursor` and `page_size`
 * belong in the paging options, not here.
 */
export function resolveParams(declared: DeclaredParam[], raw: Record<string, unknown>): Map<string, BoundValue> {
  const byName = new Map(declared.map((d) => [d.param, d]));
  for (const key of Object.keys(raw)) {
    if (key === "sort") continue;
    if (!byName.has(key)) {
      const known = declared.map((d) => d.param).join(", ") || "none";
      const hint = (reservedParams as readonly string[]).includes(key) ? " here" : "";
      throw invalidFilter(key, `is not a parameter of this product${hint} (parameters: ${known})`);
    }
  }
  const values = new Map<string, BoundValue>();
  for (const d of declared) {
    const given = raw[d.param];
    const value = given === undefined || given === "" ? d.default : given;
    if (value === undefined) {
      if (d.required) throw invalidFilter(d.param, "is required");
      continue;
    }
    values.set(d.param, coerceParam(d, value));
  }
  return values;
}

/** One parameter's value as it will be bound; throws INVALID_FILTER. */
export function coerceParam(d: Pick<DeclaredParam, "param" | "type" | "op">, value: unknown): BoundValue {
  if (d.op === "in") {
    const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [value];
    if (items.length === 0 || items.length > MAX_LIST) throw invalidFilter(d.param, `takes 1 to ${MAX_LIST} values`);
    return items.map((item) => coerceScalar(d.param, d.type, typeof item === "string" ? item.trim() : item));
  }
  if (Array.isArray(value)) throw invalidFilter(d.param, "takes one value");
  // contains / prefix match text, whatever the column holds (a date prefix like 2024-03).
  const type = d.op === "contains" || d.op === "prefix" ? "text" : d.type;
  return coerceScalar(d.param, type, value);
}

function coerceScalar(param: string, type: ColumnType, value: unknown): number | string {
  const shown = JSON.stringify(typeof value === "string" && value.length > 40 ? `${value.slice(0, 40)}…` : value);
  switch (type) {
    case "integer": {
      const n = typeof value === "number" ? value : typeof value === "string" && /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n)) throw invalidFilter(param, `must be an integer, got ${shown}`);
      return n;
    }
    case "real": {
      const n = typeof value === "number" ? value : typeof value === "string" && NUMBER.test(value) ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw invalidFilter(param, `must be a number, got ${shown}`);
      return n;
    }
    case "boolean": {
      if (value === true || value === "true" || value === "1" || value === 1) return 1;
      if (value === false || value === "false" || value === "0" || value === 0) return 0;
      throw invalidFilter(param, `must be true or false, got ${shown}`);
    }
    case "date": {
      if (typeof value !== "string" || !isIsoDate(value)) {
        throw invalidFilter(param, `must be an ISO date like 2024-01-31, got ${shown}`);
      }
      return value.replace(" ", "T");
    }
    case "text": {
      if (typeof value !== "string" && typeof value !== "number") throw invalidFilter(param, `must be text, got ${shown}`);
      const text = String(value);
      if (text.length > MAX_TEXT) throw invalidFilter(param, `is longer than ${MAX_TEXT} characters`);
      return text;
    }
  }
}

export function invalidFilter(param: string, message: string): TesseraError {
  const name = param.length > 60 ? `${param.slice(0, 60)}…` : param;
  return new TesseraError("INVALID_FILTER", `Parameter "${name}" ${message}.`, { param: name });
}
