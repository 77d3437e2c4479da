import { authenticate, type Caller } from "../auth/authenticate";
import { PLATFORM_COMPANY_ID, type KeyMaker } from "../companies/service";
import type { KeyScope } from "../db/schema";
import type { Db } from "../db";
import { TesseraError } from "../errors";
import { readSessionToken } from "./cookies";
import { CSRF_HEADER, hasCsrfHeader } from "./csrf";
import { findSession, type Member } from "./sessions";

export interface SessionCaller extends Caller {
  member: Member;
}

/**
 * Who is calling: an `x-api-key` when one is sent, otherwise the browser's
 * session cookie. A session has its member's power: a `member` acts with the
 * `full` scope (buy, sell, manage products, keys and billing), an `admin` with
 * `company_admin` (people too), a platform admin with `admin` (sessionScope). `keyId` is the member's id, so logs name the
 * person. The session counts only with the CSRF header.
 */
export async function callerOf(
  db: Db,
  request: Request | undefined,
  apiKey: string | null | undefined,
  keySecret: string | undefined,
): Promise<Caller | SessionCaller> {
  if (apiKey || !request) return authenticate(db, apiKey, keySecret);
  const token = readSessionToken(request.headers.get("cookie"));
  if (!token) return authenticate(db, null, keySecret);
  return sessionCaller(db, request, token);
}

/** The signed-in member behind the request, or UNAUTHORIZED. */
export async function sessionCaller(db: Db, request: Request, token = readSessionToken(request.headers.get("cookie"))): Promise<SessionCaller> {
  if (!token) throw new TesseraError("UNAUTHORIZED", "Sign in first.");
  if (!hasCsrfHeader(request.headers)) {
    throw new TesseraError("UNAUTHORIZED", `Requests made with a session cookie must send the ${CSRF_HEADER}: 1 header.`);
  }
  const found = await findSession(db, token);
  if (!found) throw new TesseraError("UNAUTHORIZED", "Your session has ended; sign in again.");
  const scope = sessionScope(found.member);
  return { keyId: found.member.id, companyId: found.member.companyId, scope, member: found.member };
}

/**
 * A session's power: a member's is `full`, a company admin's `company_admin`;
 * an admin of the platform company (Tessera's own staff, invited with a
 * platform admin key) is a platform admin, as its keys are.
 */
export function sessionScope(member: Member): KeyScope {
  if (member.role !== "admin") return "full";
  return member.companyId === PLATFORM_COMPANY_ID ? "admin" : "company_admin";
}

/** Who a key made by this caller comes from: the signed-in member, or the key in use. */
export function keyMakerOf(caller: Caller | SessionCaller): KeyMaker {
  return "member" in caller ? { memberId: caller.member.id } : { keyId: caller.keyId };
}
