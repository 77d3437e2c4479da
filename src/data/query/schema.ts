import { z } from "zod";
import { columnTypes } from "../../db/schema/data";
import { TesseraError } from "../../errors";

export const operators = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "prefix"] as const;
export type Operator = (typeof operators)[number];

/** Names the buyer sends and sees: params, column names, aliases. */
const ident = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be lowercase letters, digits and _, not starting with a digit");
const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
const constant = z.union([scalar, z.array(scalar).min(1).max(100)]);

/** Query-string names that are not filters. */
export const reservedParams = ["sort", "cursor", "page_size"] as const;

/**
 * A parameter the buyer may pass. For a dataset it filters `column` with
 * `op`; its type is the column's. For an HTTP origin it is passed through in
 * the query string, and `type` says how to check it.
 */
export const filterSpec = z.strictObject({
  param: ident.refine((p) => !(reservedParams as readonly string[]).includes(p), "is a reserved parameter name"),
  column: ident.optional(),
  op: z.enum(operators).default("eq"),
  type: z.enum(columnTypes).optional(),
  required: z.boolean().default(false),
  default: constant.optional(),
  description: z.string().max(500).optional(),
});

/** A condition the seller fixes; the buyer can't change or see its value. */
export const whereSpec = z.strictObject({ column: ident, op: z.enum(operators), value: constant });

export const sortKey = z.strictObject({ column: ident, dir: z.enum(["asc", "desc"]).default("asc") });

export const aggregateFns = ["count", "sum", "avg", "min", "max"] as const;

/**
 * The declarative query behind a product. There is no place for SQL: every
 * column is a name checked against the dataset, every value is bound.
 * Limits keep a compiled statement under D1's 100 bound parameters.
 */
export const querySpec = z.strictObject({
  /** Returned columns (all, in upload order, when absent), each optionally renamed. */
  columns: z.array(z.strictObject({ column: ident, as: ident.optional() })).min(1).max(100).optional(),
  filters: z.array(filterSpec).max(25).default([]),
  where: z.array(whereSpec).max(20).default([]),
  sort: z
    .strictObject({
      default: z.array(sortKey).max(5).default([]),
      /** Columns the buyer may sort by with `sort=name` or `sort=-name`. */
      allowed: z.array(ident).max(100).default([]),
    })
    .default({ default: [], allowed: [] }),
  /** For calculations (one value) and, with `groupBy`, visualizations. */
  aggregate: z
    .strictObject({
      fn: z.enum(aggregateFns),
      column: ident.optional(),
      groupBy: ident.optional(),
      /** `percentage`: the value is a fraction (say the avg of a boolean) shown ×100. */
      display: z.enum(["number", "percentage"]).default("number"),
      /** Most groups in a chart. */
      limit: z.number().int().min(1).max(200).default(50),
    })
    .optional(),
  chart: z
    .strictObject({ type: z.enum(["bar", "line"]).default("bar"), title: z.string().max(200).optional() })
    .optional(),
});

export type QuerySpecInput = z.input<typeof querySpec>;
export type QuerySpec = z.output<typeof querySpec>;
export type FilterSpec = z.output<typeof filterSpec>;

/** A spec is the seller's input: a bad one is BAD_REQUEST, naming the field. */
export function parseSpec(input: unknown): QuerySpec {
  const result = querySpec.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join(".");
  throw new TesseraError("BAD_REQUEST", `Query spec: ${path ? `${path} ` : ""}${issue.message}`);
}
