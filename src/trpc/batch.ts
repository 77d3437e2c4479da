/**
 * The most calls one tRPC request may batch, so one request's work stays
 * bounded (`maxBatchSize` in src/app.ts). The typed client splits larger
 * batches by itself (`maxItems` in client/src/index.ts).
 */
export const MAX_BATCH_CALLS = 10;

/** What tRPC's fetch adapter says when a batch is over `maxBatchSize`; the formatter words it for people. */
export const TRPC_BATCH_REFUSAL = "Batch call exceeds maximum size";
