import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";
import { requireScope, type Caller } from "../auth/authenticate";
import type { Db } from "../db";
import { TesseraError, isErrorCode, type ErrorCode } from "../errors";
import { callerOf } from "../members/caller";
import { MAX_BATCH_CALLS, TRPC_BATCH_REFUSAL } from "./batch";

export interface Context {
  env: Env;
  db: Db;
  requestId: string;
  /** The `x-api-key` header, checked only by procedures that need a caller. */
  apiKey: string | null;
  waitUntil: (promise: Promise<unknown>) => void;
  /** The raw request: its session cookie and CSRF header (src/members). */
  req?: Request;
  /** Headers of the response, for Set-Cookie on sign-in and sign-out. */
  resHeaders?: Headers;
}

const trpcCodeOf: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  402: "PAYMENT_REQUIRED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  502: "BAD_GATEWAY",
  504: "GATEWAY_TIMEOUT",
};

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    let code: ErrorCode = "INTERNAL";
    let message = "Something went wrong on our side.";
    let details: Record<string, unknown> | null = null;
    if (cause instanceof TesseraError) {
      ({ code, message } = cause);
      details = cause.details ?? null;
    } else if (cause instanceof ZodError) {
      code = codeOfZodError(cause);
      message = cause.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
      // Each issue on its field, so a form can show it there.
      details = { issues: cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
    } else if (error.code === "BAD_REQUEST" && error.message === TRPC_BATCH_REFUSAL) {
      code = "BAD_REQUEST";
      message = `One request may batch at most ${MAX_BATCH_CALLS} calls; send the rest in further requests (the typed client splits batches by itself).`;
      details = { maxBatchCalls: MAX_BATCH_CALLS };
    } else if (error.code !== "INTERNAL_SERVER_ERROR") {
      code = isErrorCode(error.code) ? error.code : "BAD_REQUEST";
      message = error.message;
    }
    return {
      message,
      code: shape.code,
      data: { code, httpStatus: shape.data.httpStatus, path: shape.data.path, requestId: ctx?.requestId ?? null, details },
    };
  },
});

/** Schemas may name a code for an issue (`params: { code: "INVALID_AMOUNT" }`). */
function codeOfZodError(error: ZodError): ErrorCode {
  for (const issue of error.issues) {
    const code = issue.code === "custom" ? issue.params?.code : undefined;
    if (isErrorCode(code)) return code;
  }
  return "BAD_REQUEST";
}

/** Turns domain errors into tRPC errors with the matching HTTP status. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof TesseraError) {
      return { ...result, error: new TRPCError({ code: trpcCodeOf[cause.status] ?? "INTERNAL_SERVER_ERROR", message: cause.message, cause }) };
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") console.error(result.error.cause ?? result.error);
  }
  return result;
});

export const router = t.router;

export const publicProcedure = t.procedure.use(domainErrors);

/** Any valid company key, read-only included, or a signed-in member's session (full scope). */
export const companyProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const caller: Caller = await callerOf(ctx.db, ctx.req, ctx.apiKey, ctx.env.KEY_SECRET);
  return next({ ctx: { caller } });
});

/** A key that may change things. */
export const writeProcedure = companyProcedure.use(({ ctx, next }) => {
  requireScope(ctx.caller, "full");
  return next();
});

/** Platform admins only. */
export const adminProcedure = companyProcedure.use(({ ctx, next }) => {
  requireScope(ctx.caller, "admin");
  return next();
});
