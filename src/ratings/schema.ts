import { z } from "zod";
import { productId } from "../products/schema";

/**
 * A buyer's rating, apart from the router so the admin's form validates with
 * the same schema (pure zod: no worker imports here).
 */
export const rateInput = z.object({ productId, stars: z.number().int().min(1).max(5), review: z.string().trim().max(2000).optional() });
