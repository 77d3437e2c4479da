/**
 * Who makes a metered REST call, from its `x-api-key`, without the shared
 * database on a warm call: a key's owner is read from D1 once per isolate
 * (src/auth/owners.ts) and its revocation is checked by the wallet.
 *
 * A key Tessera never issued fails its check digits (src/auth/keys.ts) and is
 * refused with no lookup at all: junk costs the shared database nothing.
 *
 * Limits (Workers Rate Limiting, counted per Cloudflare location):
 * - per key (CALL_KEY_LIMIT), about the ceiling of the buyer's wallet object,
 *   so a runaway client meets a clean 429 instead of an overloaded object;
 * - per client address, calls with keys that are not keys (JUNK_KEY_LIMIT):
 *   past it a client gets 429s, to tell it to stop.
 * What is refused here is counted in Analytics Engine (CALL_EVENTS), not
 * written row by row; a call is logged in the wallet once its key is known.
 */
import { keyOwners, type KeyOwner } from "../caches";
import { requireScope } from "../auth/authenticate";
import { hashKey } from "../auth/keys";
import { keyOwner } from "../auth/owners";
import { TesseraError } from "../errors";
import type { KeyScope } from "../db/schema";
import type { Services } from "../services";

export type Expect = "endpoint" | "company";

export async function meteredCaller(s: Services, request: Request, expect: Expect): Promise<KeyOwner> {
  const client = request.headers.get("cf-connecting-ip") ?? "local";
  return keyCaller(s, request.headers.get("x-api-key")?.trim(), client, expect, expect === "company" ? "full" : null);
}

/**
 * The owner of `secret`, a key of the `expect` kind with at least `scope`
 * (company keys), within its rate limit. The REST routes and the MCP server
 * (which takes the key as `Authorization: Bearer`) both come here.
 */
export async function keyCaller(
  s: Services,
  secret: string | undefined,
  client: string,
  expect: Expect,
  scope: KeyScope | null,
): Promise<KeyOwner> {
  try {
    if (!secret) throw new TesseraError("UNAUTHORIZED", `Send your ${expect === "endpoint" ? "endpoint key" : "API key"} in the x-api-key header.`);
    const owner = keyOwners.get(await hashKey(secret)) ?? (await keyOwner(s.db, secret, s.env.KEY_SECRET));
    if (!owner) await junk(s, client);
    if (owner?.kind !== expect) throw notAKey(expect, owner?.kind ?? null);
    if (scope) requireScope({ keyId: owner.keyId, companyId: owner.companyId, scope: owner.scope! }, scope);
    const { success } = await s.env.CALL_KEY_LIMIT.limit({ key: owner.keyId });
    if (!success) throw new TesseraError("RATE_LIMITED", "Too many calls with this key; slow down and retry.");
    return owner;
  } catch (error) {
    if (error instanceof TesseraError) count(s, error.code, client);
    throw error;
  }
}

/** A client sending keys that are not keys: past its limit, it is told to stop. */
async function junk(s: Services, client: string): Promise<void> {
  const { success } = await s.env.JUNK_KEY_LIMIT.limit({ key: client });
  if (!success) throw new TesseraError("RATE_LIMITED", "Too many calls with keys that are not keys from this client; stop and check your key.");
}

function notAKey(expect: Expect, got: KeyOwner["kind"] | null): TesseraError {
  if (expect === "endpoint") {
    const hint = got === "company" ? " Company keys don't call endpoints: use the endpoint's own key." : "";
    return new TesseraError("UNAUTHORIZED", `This key is not a valid endpoint key.${hint}`);
  }
  const hint = got === "endpoint" ? " Endpoint keys only call their endpoint: use a company API key." : "";
  return new TesseraError("UNAUTHORIZED", `This API key is not valid.${hint}`);
}

/** One refused call, counted (sampled, never money). */
function count(s: Services, code: string, client: string): void {
  s.env.CALL_EVENTS?.writeDataPoint({ blobs: ["refused", code], doubles: [1], indexes: [client.slice(0, 96)] });
}
