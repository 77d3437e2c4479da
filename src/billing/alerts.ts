/**
 * Low-balance alerts (fourth source document): when available credits cross
 * below the company's low-balance threshold, Tessera POSTs an alert to the
 * company's webhook URL, once per crossing, and records it.
 *
 * The crossing is seen by the wallet (src/wallet/crossings.ts) and the alert
 * is sent from the wallet's alarm, never on the metered request path.
 *
 * The request:
 *   POST <webhook url>
 *   content-type: application/json
 *   x-tessera-event: credits.low_balance
 *   x-tessera-signature: t=<unix seconds>,v1=<hex>
 *   { "id": "alert_...", "type": "credits.low_balance", "company_id", "threshold_credits",
 *     "available_credits", "occurred_at" }
 * where v1 = hex(HMAC-SHA256(signing secret, `${t}.POST.${path and query}.${hex(SHA-256(body))}`)),
 * the same scheme Tessera signs sellers' origin requests with (src/data/origins/sign.ts),
 * so `verifyOriginSignature` checks it. The signing secret is returned when
 * the alert is first configured (or rotated), and stored sealed
 * (src/crypto.ts). A non-2xx answer or no answer is retried twice (30 s,
 * then 60 s); receivers should dedupe by `id`. The URL must be a public
 * HTTPS host (src/data/origins/url.ts), checked when it is set and again
 * before each alert is sent.
 */
import { and, desc, eq } from "drizzle-orm";
import { openSecret, sealSecret } from "../crypto";
import { checkOriginUrl } from "../data/origins/url";
import { signOriginRequest } from "../data/origins/sign";
import { fieldError, TesseraError } from "../errors";
import { pastKey } from "../paging";
import { lowBalanceAlerts, lowBalanceAlertSettings } from "../db/schema";
import { randomToken } from "../ids";
import { toDecimalNumber, type Credits } from "../money";
import type { Crossing } from "../wallet/crossings";
import type { CrossingOutcome } from "./crossing";
import type { Services } from "../services";

export const ALERT_ATTEMPTS = 3;
const ALERT_RETRY_MS = 30_000;
const ALERT_TIMEOUT_MS = 10_000;

export type AlertSettings = typeof lowBalanceAlertSettings.$inferSelect;
export type AlertRecord = typeof lowBalanceAlerts.$inferSelect;

export async function findAlertSettings(ctx: Services, companyId: string): Promise<AlertSettings | undefined> {
  return ctx.db.query.lowBalanceAlertSettings.findFirst({ where: eq(lowBalanceAlertSettings.companyId, companyId) });
}

/**
 * Sets the low-balance threshold (also the balance's `lowBalanceWarning`) and
 * where alerts go; a null URL stops alerts. Returns the signing secret when
 * one was made (first configuration, or `rotateSecret`).
 */
export async function setAlertSettings(
  ctx: Services,
  companyId: string,
  input: { thresholdCredits: Credits; webhookUrl: string | null; rotateSecret?: boolean | undefined },
): Promise<{ settings: AlertSettings | undefined; signingSecret: string | null }> {
  const purse = ctx.wallet(companyId);
  if (input.webhookUrl === null) {
    await ctx.db.delete(lowBalanceAlertSettings).where(eq(lowBalanceAlertSettings.companyId, companyId));
    await purse.watch("low_balance", null);
    await purse.setLowBalanceThreshold(input.thresholdCredits);
    return { settings: undefined, signingSecret: null };
  }
  const url = savedWebhookUrl(input.webhookUrl, ctx.env);
  const existing = await findAlertSettings(ctx, companyId);
  const signingSecret = !existing || input.rotateSecret ? `whsec_${randomToken(32)}` : null;
  // Sealed on every write, so a row kept from before sealing (or under an old key) is resealed too.
  const kept = signingSecret ?? (await openSecret(ctx.env, existing!.signingSecret, alertSecretContext(companyId)));
  const sealed = await sealSecret(ctx.env, kept, alertSecretContext(companyId));
  const row = { companyId, webhookUrl: url, signingSecret: sealed, updatedAt: Date.now() };
  await ctx.db.insert(lowBalanceAlertSettings).values(row).onConflictDoUpdate({ target: lowBalanceAlertSettings.companyId, set: row });
  await purse.watch("low_balance", input.thresholdCredits);
  return { settings: row, signingSecret };
}

/** Alerts sent, newest first; page on `after` the last one's [createdAt, id]. */
export async function listAlerts(ctx: Services, companyId: string, page: { limit: number; after?: readonly [number, string] | undefined }): Promise<AlertRecord[]> {
  return ctx.db
    .select()
    .from(lowBalanceAlerts)
    .where(and(eq(lowBalanceAlerts.companyId, companyId), pastKey("desc", [lowBalanceAlerts.createdAt, lowBalanceAlerts.id], page.after)))
    .orderBy(desc(lowBalanceAlerts.createdAt), desc(lowBalanceAlerts.id))
    .limit(page.limit);
}

/** Called by the crossings consumer for each `low_balance` crossing (and each retry of one). */
export async function sendLowBalanceAlert(ctx: Services, crossing: Crossing): Promise<CrossingOutcome> {
  const settings = await findAlertSettings(ctx, crossing.companyId);
  if (!settings) return;
  const id = `alert_${crossing.id.replaceAll(":", "_")}`;
  await ctx.db
    .insert(lowBalanceAlerts)
    .values({
      id,
      companyId: crossing.companyId,
      thresholdCredits: crossing.threshold,
      availableCredits: crossing.available,
      url: settings.webhookUrl,
      status: "pending",
      createdAt: crossing.at,
    })
    .onConflictDoNothing();
  const alert = (await ctx.db.query.lowBalanceAlerts.findFirst({ where: eq(lowBalanceAlerts.id, id) }))!;
  if (alert.status !== "pending") return;

  const body = JSON.stringify({
    id,
    type: "credits.low_balance",
    company_id: crossing.companyId,
    threshold_credits: toDecimalNumber(crossing.threshold),
    available_credits: toDecimalNumber(crossing.available),
    occurred_at: new Date(crossing.at).toISOString(),
  });
  let httpStatus: number | null = null;
  let error: string | null = null;
  let retry = true;
  try {
    // Again at send time: the row may predate today's rules. A refused host is never contacted.
    const url = checkOriginUrl(settings.webhookUrl, webhookUrlRules(ctx.env));
    const secret = await openSecret(ctx.env, settings.signingSecret, alertSecretContext(crossing.companyId));
    const signature = await signOriginRequest(secret, {
      method: "POST",
      pathAndQuery: `${url.pathname}${url.search}`,
      body,
      timestamp: Math.floor(Date.now() / 1000),
    });
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tessera-event": "credits.low_balance", "x-tessera-signature": signature },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(ALERT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    httpStatus = response.status;
    if (!response.ok) error = `The webhook answered ${response.status}.`;
  } catch (caught) {
    if (!(caught instanceof TesseraError)) error = "The webhook could not be reached.";
    else if (caught.code === "BAD_REQUEST") [error, retry] = [caught.message, false]; // the URL is refused: it won't become acceptable
    else throw caught; // SECRETS_KEYS missing or wrong: the wallet's alarm retries once it is fixed
  }
  const attempts = alert.attempts + 1;
  const done = error === null;
  const giveUp = !done && (!retry || attempts >= ALERT_ATTEMPTS);
  await ctx.db
    .update(lowBalanceAlerts)
    .set({
      attempts,
      httpStatus,
      error,
      status: done ? "delivered" : giveUp ? "failed" : "pending",
      deliveredAt: done ? Date.now() : null,
    })
    .where(and(eq(lowBalanceAlerts.id, id), eq(lowBalanceAlerts.status, "pending")));
  return done || giveUp ? undefined : { retryAt: Date.now() + ALERT_RETRY_MS * attempts };
}

/** The URL as saved; a refusal names the `webhookUrl` field, so a form shows it there. */
function savedWebhookUrl(raw: string, env: Pick<Env, "ALLOW_INSECURE_ORIGINS">): string {
  try {
    return checkOriginUrl(raw, webhookUrlRules(env)).toString();
  } catch (error) {
    if (error instanceof TesseraError) throw fieldError(error.code, "webhookUrl", error.message);
    throw error;
  }
}

function webhookUrlRules(env: Pick<Env, "ALLOW_INSECURE_ORIGINS">) {
  return { allowInsecureOrigins: env.ALLOW_INSECURE_ORIGINS === "1", label: "webhook URL" };
}

/** What a company's sealed signing secret is bound to (src/crypto.ts): its settings row. */
export function alertSecretContext(companyId: string): string {
  return `low_balance_alert_settings.signing_secret:${companyId}`;
}

export function alertView(alert: AlertRecord) {
  return {
    id: alert.id,
    thresholdCredits: toDecimalNumber(alert.thresholdCredits),
    availableCredits: toDecimalNumber(alert.availableCredits),
    url: alert.url,
    status: alert.status,
    attempts: alert.attempts,
    httpStatus: alert.httpStatus,
    error: alert.error,
    createdAt: alert.createdAt,
    deliveredAt: alert.deliveredAt,
  };
}
