/**
 * Validators for the pages' search parameters (routes.tsx). They run on
 * every navigation, so they are in the first chunk: small functions rather
 * than a schema library, which keeps zod out of the shell (the forms' zod
 * loads with the pages that have a form). A bad or hand-edited value is
 * dropped rather than breaking the page.
 */
type Param<T> = (value: unknown) => T | undefined;

export const text =
  (max = 500): Param<string> =>
  (v) =>
    typeof v === "string" && v.length <= max ? v : undefined;

export const oneOf =
  <const T extends readonly string[]>(values: T): Param<T[number]> =>
  (v) =>
    (values as readonly unknown[]).includes(v) ? (v as T[number]) : undefined;

/** Any of `values`, several at once (all must be known). */
export const someOf =
  <const T extends readonly string[]>(values: T): Param<T[number][]> =>
  (v) =>
    Array.isArray(v) && v.every((x) => (values as readonly unknown[]).includes(x)) ? (v as T[number][]) : undefined;

export const atLeast =
  (min: number, { int = false } = {}): Param<number> =>
  (v) =>
    typeof v === "number" && Number.isFinite(v) && v >= min && (!int || Number.isInteger(v)) ? v : undefined;

export const flag: Param<boolean> = (v) => (typeof v === "boolean" ? v : undefined);

/** A date input's value, YYYY-MM-DD. */
export const day: Param<string> = (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

/** The page a paged list is on: the server's cursor, and its number for "Page n". */
export const paging = { cursor: text(), page: atLeast(2, { int: true }) };

/** A route's `validateSearch`: each of its parameters checked. */
export function searchOf<S extends Record<string, Param<unknown>>>(shape: S) {
  return (raw: Record<string, unknown>): { [K in keyof S]?: S[K] extends Param<infer T> ? T : never } => {
    const search: Record<string, unknown> = {};
    // Every key is set, a dropped one to undefined: the router lays this over the raw search, so a key left out would keep the bad value.
    for (const key of Object.keys(shape)) search[key] = shape[key]!(raw[key]);
    return search as { [K in keyof S]?: S[K] extends Param<infer T> ? T : never };
  };
}
