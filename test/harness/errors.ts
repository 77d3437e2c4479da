import { TRPCClientError } from "@trpc/client";
import { expect } from "vitest";
import { errorCode } from "../../client/src";
import { TesseraError, type ErrorCode } from "../../src/errors";

/**
 * The Tessera error code `call` fails with (thrown inside the worker or
 * carried by the typed client), or "OK" if it succeeds. Any other failure is
 * rethrown: it is a bug, not an answer.
 */
export async function codeOf(call: Promise<unknown>): Promise<ErrorCode | "OK"> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TesseraError) return error.code;
    const code = errorCode(error);
    if (code) return code as ErrorCode;
    throw error;
  }
}

/** Asserts that `call` fails with the Tessera error `code` (and a message matching `message`); returns the error. */
export async function expectCode(call: Promise<unknown>, code: string, message?: RegExp): Promise<Error> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}, but the call succeeded`).toBeDefined();
  expect(error instanceof TesseraError || error instanceof TRPCClientError, `not a Tessera error: ${String(error)}`).toBe(true);
  expect(error instanceof TesseraError ? error.code : errorCode(error)).toBe(code);
  if (message) expect((error as Error).message).toMatch(message);
  return error as Error;
}

/** The code and the fields a refusal names in `details.issues`, as the admin's forms read them (client/src/app/components/forms.tsx). */
export async function fieldRefusal(call: Promise<unknown>): Promise<{ code: string | undefined; issues: { path: string; message: string }[] | undefined }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return { code: errorCode(error), issues: ((error as TRPCClientError<never>).data as { details?: { issues?: { path: string; message: string }[] } } | undefined)?.details?.issues };
}
