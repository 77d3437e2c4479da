import { invalidParam } from "./errors.ts";
import type { FormObject } from "./form.ts";
import { optionalInteger, optionalString } from "./params.ts";
import type { List } from "./types.ts";

/**
 * Stripe's cursor pagination over `items` (newest first): `limit` (1–100,
 * default 10), `starting_after` and `ending_before` object ids.
 */
export function page<T extends { id: string }>(items: T[], url: string, params: FormObject): List<T> {
  const limit = optionalInteger(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam("limit", "Invalid limit: must be between 1 and 100");
  const after = optionalString(params, "starting_after");
  const before = optionalString(params, "ending_before");
  let start = 0;
  let end = items.length;
  if (after) {
    const index = items.findIndex((item) => item.id === after);
    if (index < 0) throw invalidParam("starting_after", `No such object: '${after}'`);
    start = index + 1;
  }
  if (before) {
    const index = items.findIndex((item) => item.id === before);
    if (index < 0) throw invalidParam("ending_before", `No such object: '${before}'`);
    end = index;
    start = Math.max(start, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  const hasMore = before ? start > 0 : start + data.length < end;
  return { object: "list", data, has_more: hasMore, url };
}

/** Newest first, the order Stripe lists in. */
export function newestFirst<T extends { created?: number }>(items: Iterable<T>): T[] {
  return [...items].reverse().sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
}

export function listOf<T>(data: T[], url: string): List<T> {
  return { object: "list", data, has_more: false, url };
}
