import { sealSecret, type SecretsEnv } from "../../crypto";
import { fieldError, TesseraError } from "../../errors";
import { insertDataSource, newSourceHex } from "../sources";
import type { OriginSource } from "../types";
import { clampTimeout, DEFAULT_ORIGIN_TIMEOUT_MS, MAX_ORIGIN_TIMEOUT_MS, MIN_ORIGIN_TIMEOUT_MS } from "./call";
import { originSecretContext } from "./sign";
import { checkOriginUrl } from "./url";

export type CreateOriginInput = { companyId: string; name: string; url: string; timeoutMs?: number };

/**
 * Registers a seller's HTTP origin with a fresh signing secret, stored sealed
 * (src/crypto.ts). The secret itself is returned beside the source so it can
 * be shown to the seller once.
 */
export async function createOrigin(
  deps: { database: D1Database; secrets: SecretsEnv },
  input: CreateOriginInput,
  opts: { allowInsecureOrigins?: boolean } = {},
): Promise<{ source: OriginSource; signingSecret: string }> {
  const name = input.name.trim();
  // Each refusal names its field, so a form shows it there.
  if (!name || name.length > 200) throw fieldError("BAD_REQUEST", "name", "An origin needs a name of 1 to 200 characters.");
  const url = checkedUrl(input.url, opts);
  const timeoutMs = input.timeoutMs ?? DEFAULT_ORIGIN_TIMEOUT_MS;
  if (clampTimeout(timeoutMs) !== timeoutMs) {
    throw fieldError("BAD_REQUEST", "timeoutMs", `The origin timeout must be ${MIN_ORIGIN_TIMEOUT_MS} to ${MAX_ORIGIN_TIMEOUT_MS} ms.`);
  }
  const id = `src_${newSourceHex()}`;
  const signingSecret = `tos_${newSourceHex()}${newSourceHex()}`;
  const source: OriginSource = {
    id,
    companyId: input.companyId,
    kind: "origin",
    name,
    url: url.toString(),
    secret: await sealSecret(deps.secrets, signingSecret, originSecretContext(id)),
    timeoutMs,
    createdAt: Date.now(),
  };
  await insertDataSource(deps.database, source);
  return { source, signingSecret };
}

/** The URL as saved; a refusal (the SSRF guard's among them) names the `url` field. */
function checkedUrl(raw: string, opts: { allowInsecureOrigins?: boolean }): URL {
  try {
    return checkOriginUrl(raw, opts);
  } catch (error) {
    if (error instanceof TesseraError) throw fieldError(error.code, "url", error.message);
    throw error;
  }
}
