/**
 * Stripe's request bodies (and GET query strings) are form-encoded with
 * bracket notation: `line_items[0][price_data][unit_amount]=500`,
 * `metadata[order]=42`, `expand[]=line_items`. This turns them back into
 * nested objects and arrays, the shape the Stripe SDK started from.
 */
export type FormValue = string | FormValue[] | FormObject;
export type FormObject = { [key: string]: FormValue };

// Keys that would reach Object.prototype if a client sent them.
const forbidden = new Set(["__proto__", "constructor", "prototype"]);

export function decodeForm(text: string): FormObject {
  const root: FormObject = Object.create(null);
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = splitKey(rawKey);
    if (path.some((segment) => forbidden.has(segment))) continue;
    assign(root, path, value);
  }
  return arraysFromIndexes(root) as FormObject;
}

/** `a[b][0][]` → ["a", "b", "0", ""]; an empty segment means "append". */
function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const path = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) path.push(match[1]!);
  return path;
}

function assign(node: FormObject, path: string[], value: string): void {
  let current = node;
  path.forEach((segment, index) => {
    const key = segment === "" ? String(Object.keys(current).length) : segment;
    if (index === path.length - 1) {
      current[key] = value;
      return;
    }
    const next = current[key];
    if (next === undefined || typeof next === "string" || Array.isArray(next)) {
      current[key] = Object.create(null) as FormObject;
    }
    current = current[key] as FormObject;
  });
}

/** Objects whose keys are all indexes become arrays, in index order. */
function arraysFromIndexes(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = arraysFromIndexes(value[key]!);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key]!);
  }
  return value;
}
