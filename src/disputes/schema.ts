import { z } from "zod";

/**
 * The dispute a buyer opens, apart from the router so the admin's form
 * validates with the same schema (pure zod: no worker imports here).
 */
const chargeId = z.string().trim().min(1).max(200);

/** One charge, named by its transaction id or by the request id its response showed, and what went wrong. */
export const openDisputeInput = z
  .object({ transactionId: chargeId.optional(), requestId: chargeId.optional(), reason: z.string().trim().min(3).max(2000) })
  .refine((v) => (v.transactionId === undefined) !== (v.requestId === undefined), "Name the transaction by transactionId or by requestId (one of them).");
