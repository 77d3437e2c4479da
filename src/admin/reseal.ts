import { and, asc, eq, gt, isNotNull } from "drizzle-orm";
import { alertSecretContext } from "../billing/alerts";
import { currentSecretsKey, openSecret, sealedWith, sealSecret } from "../crypto";
import { originSecretContext } from "../data/origins/sign";
import type { Db } from "../db";
import { dataSources, lowBalanceAlertSettings } from "../db/schema";

const PAGE = 100;

/**
 * Seals every stored secret that is not yet sealed with the current key of
 * SECRETS_KEYS: rows from before secrets were sealed, and rows sealed with a
 * key being rotated out. Walks each table once, in key order. A row is
 * swapped only if it still holds the value read, so a secret rotated
 * meanwhile is never overwritten. Safe to run again; returns how many rows
 * it changed.
 */
export async function resealSecrets(db: Db, env: Pick<Env, "SECRETS_KEYS">) {
  const keyId = await currentSecretsKey(env);
  const reseal = async (stored: string, context: string) =>
    sealedWith(stored) === keyId ? null : sealSecret(env, await openSecret(env, stored, context), context);

  let originSecrets = 0;
  for (let after = ""; ; ) {
    const rows = await db
      .select({ id: dataSources.id, secret: dataSources.secret })
      .from(dataSources)
      .where(and(eq(dataSources.kind, "origin"), isNotNull(dataSources.secret), gt(dataSources.id, after)))
      .orderBy(asc(dataSources.id))
      .limit(PAGE);
    for (const row of rows) {
      const sealed = await reseal(row.secret!, originSecretContext(row.id));
      if (sealed === null) continue;
      await db.update(dataSources).set({ secret: sealed }).where(and(eq(dataSources.id, row.id), eq(dataSources.secret, row.secret!)));
      originSecrets++;
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }

  let alertSecrets = 0;
  for (let after = ""; ; ) {
    const rows = await db
      .select({ companyId: lowBalanceAlertSettings.companyId, secret: lowBalanceAlertSettings.signingSecret })
      .from(lowBalanceAlertSettings)
      .where(gt(lowBalanceAlertSettings.companyId, after))
      .orderBy(asc(lowBalanceAlertSettings.companyId))
      .limit(PAGE);
    for (const row of rows) {
      const sealed = await reseal(row.secret, alertSecretContext(row.companyId));
      if (sealed === null) continue;
      await db
        .update(lowBalanceAlertSettings)
        .set({ signingSecret: sealed })
        .where(and(eq(lowBalanceAlertSettings.companyId, row.companyId), eq(lowBalanceAlertSettings.signingSecret, row.secret)));
      alertSecrets++;
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.companyId;
  }
  return { keyId, originSecrets, alertSecrets };
}
