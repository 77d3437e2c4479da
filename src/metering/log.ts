import type { Db } from "../db";
import { requestLogs } from "../db/schema";
import { parseDecimal } from "../money";
import type { Billing } from "./meter";

export interface CallRecord {
  keyId: string | null;
  companyId: string | null;
  productId: string | null;
  sellerCompanyId: string | null;
  method: string;
  status: number;
  errorCode: string | null;
  rows: number | null;
  billing: Billing;
  startedAt: number;
}

/** Writes one metered call to the request log (after the response, through waitUntil). */
export function logCall(db: Db, call: CallRecord): Promise<unknown> {
  return db
    .insert(requestLogs)
    .values({
      id: call.billing.request_id,
      keyId: call.keyId,
      companyId: call.companyId,
      productId: call.productId,
      sellerCompanyId: call.sellerCompanyId,
      method: call.method,
      status: call.status,
      errorCode: call.errorCode,
      rows: call.rows,
      billed: call.billing.billed,
      credits: parseDecimal(call.billing.credits) ?? 0,
      durationMs: Date.now() - call.startedAt,
      createdAt: call.startedAt,
    })
    .catch((error: unknown) => console.error("request log write failed", call.billing.request_id, error));
}
