import { z } from "zod";

/**
 * Registering an HTTPS origin, apart from the router so the admin's form
 * validates with the same schema (pure zod: no worker imports here).
 */
export const createOriginInput = z.object({
  name: z.string().trim().min(1).max(200),
  url: z.string().trim().min(1).max(2000),
  // The range (and its message) is createOrigin's, refused on this field.
  timeoutMs: z.number().int().optional(),
});
