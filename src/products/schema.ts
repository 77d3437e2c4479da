import { z } from "zod";
import type { assetKinds as columnAssetKinds, productTypes as columnProductTypes } from "../db/schema";
import { usdPrice } from "../schemas";

/**
 * The products procedures' inputs, pure zod (no worker imports here) so the
 * admin's forms validate with the same schemas. The kinds are literals, since
 * the D1 columns' lists live with drizzle; `satisfies` keeps them the columns'.
 */
const productTypes = ["asset", "endpoint"] as const satisfies typeof columnProductTypes;
const assetKinds = ["calculation", "visualization"] as const satisfies typeof columnAssetKinds;

const text = (max: number) => z.string().trim().max(max);
const tags = z.array(z.string().trim().min(1).max(40)).max(20);
const questions = z.array(z.string().trim().min(3).max(300)).max(20);

export const productId = z.string().min(1).max(100);

export const createProductInput = z.object({
  type: z.enum(productTypes),
  assetKind: z.enum(assetKinds).optional(),
  name: text(120).min(2),
  description: text(5_000).optional(),
  tags: tags.optional(),
  category: text(60).min(1).nullable().optional(),
  documentation: text(50_000).optional(),
  topQuestions: questions.optional(),
  dataSourceId: z.string().min(1).max(100),
  spec: z.record(z.string(), z.unknown()),
  priceUsd: usdPrice,
  sellInMarketplace: z.boolean().optional(),
});

export const updateProductInput = z.object({
  id: productId,
  name: text(120).min(2).optional(),
  description: text(5_000).optional(),
  tags: tags.optional(),
  category: text(60).min(1).nullable().optional(),
  documentation: text(50_000).optional(),
  topQuestions: questions.optional(),
  spec: z.record(z.string(), z.unknown()).optional(),
  sellInMarketplace: z.boolean().optional(),
});

/** A new price; the id is the form's too, kept from its default. */
export const setPriceInput = z.object({ id: productId, priceUsd: usdPrice });

/** Buyer parameters as the REST query string would carry them. */
export const buyerParams = z.record(z.string().max(63), z.union([z.string().max(1000), z.number(), z.boolean(), z.array(z.union([z.string().max(1000), z.number()])).max(100)])).default({});
