import { invalidParam, missingParam } from "./errors.ts";
import type { FormObject, FormValue } from "./form.ts";

/**
 * Typed reads of decoded form parameters. `path` is the parameter's name as the
 * client wrote it (`line_items[0][quantity]`), so errors name it like Stripe does.
 */
export function optionalString(params: FormObject, key: string, path = key): string | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidParam(path, `Invalid string: ${path} must be a string.`);
  return value;
}

export function requiredString(params: FormObject, key: string, path = key): string {
  const value = optionalString(params, key, path);
  if (value === undefined || value === "") throw missingParam(path);
  return value;
}

export function optionalInteger(params: FormObject, key: string, path = key): number | undefined {
  const value = optionalString(params, key, path);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw invalidParam(path, `Invalid integer: ${value}`, "parameter_invalid_integer");
  }
  return Number(value);
}

export function requiredInteger(params: FormObject, key: string, path = key): number {
  const value = optionalInteger(params, key, path);
  if (value === undefined) throw missingParam(path);
  return value;
}

export function optionalBoolean(params: FormObject, key: string, path = key): boolean | undefined {
  const value = optionalString(params, key, path);
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw invalidParam(path, `Invalid boolean: ${value}`);
  return value === "true";
}

export function optionalEnum<T extends string>(params: FormObject, key: string, allowed: readonly T[], path = key): T | undefined {
  const value = optionalString(params, key, path);
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw invalidParam(path, `Invalid ${path}: must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

export function optionalObject(params: FormObject, key: string, path = key): FormObject | undefined {
  const value = params[key];
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string" || Array.isArray(value)) throw invalidParam(path, `Invalid object: ${path}`);
  return value;
}

export function optionalArray(params: FormObject, key: string, path = key): FormValue[] | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidParam(path, `Invalid array: ${path}`);
  return value;
}

/** An array of objects, e.g. `line_items` or `items`. */
export function objectArray(params: FormObject, key: string): FormObject[] | undefined {
  const list = optionalArray(params, key);
  return list?.map((entry, index) => {
    if (typeof entry === "string" || Array.isArray(entry)) throw invalidParam(`${key}[${index}]`, `Invalid object: ${key}[${index}]`);
    return entry;
  });
}

/**
 * Stripe's metadata update rule: keys merge into what is there, and an empty
 * value (`metadata[key]=`) removes the key.
 */
export function mergeMetadata(existing: Record<string, string>, params: FormObject, key = "metadata"): Record<string, string> {
  const raw = params[key];
  if (raw === undefined) return existing;
  if (raw === "") return {};
  if (typeof raw === "string" || Array.isArray(raw)) throw invalidParam(key, "Invalid metadata: must be a hash.");
  const next = { ...existing };
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== "string") throw invalidParam(`${key}[${name}]`, "Metadata values must be strings.");
    if (value === "") delete next[name];
    else next[name] = value;
  }
  return next;
}

/** The `expand[]` list of a request. */
export function expandPaths(params: FormObject): string[] {
  const list = params.expand;
  if (list === undefined) return [];
  const values = Array.isArray(list) ? list : [list];
  return values.map((value, index) => {
    if (typeof value !== "string") throw invalidParam(`expand[${index}]`, "Invalid expand: must be a string.");
    return value;
  });
}
