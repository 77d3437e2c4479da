/**
 * Outbound mail. One interface, two transports chosen by MAIL_TRANSPORT:
 * `send_email` sends through Cloudflare's e-mail binding (production);
 * `outbox` (local and tests) only records the message in D1's `mail_outbox`,
 * which is then the mailbox to read. Either way each message has a
 * caller-chosen id and is sent at most once per id: a repeat is a no-op.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { mailOutbox } from "../db/schema";

export interface Mail {
  /** Idempotency id: the same id is never sent twice. */
  id: string;
  to: string;
  subject: string;
  text: string;
  attachments?: { filename: string; type: string; content: Uint8Array }[];
}

export interface Mailer {
  /** Sends `mail` unless a message with its id went already; `sent` says which. */
  send(mail: Mail): Promise<{ sent: boolean }>;
}

/** wrangler types makes vars literal types; any sender and transport name may be configured. */
type MailEnv = { MAIL: SendEmail; MAIL_FROM: string; MAIL_TRANSPORT: string };

export function mailerFor(env: MailEnv, db: Db): Mailer {
  return env.MAIL_TRANSPORT === "send_email" ? sendEmailMailer(env, db) : outboxMailer(db, env.MAIL_FROM);
}

function record(mail: Mail, from: string, transport: "outbox" | "send_email", messageId: string | null) {
  return {
    id: mail.id,
    transport,
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, type: a.type, size: a.content.byteLength })),
    messageId,
    createdAt: Date.now(),
  };
}

/** Records messages in D1 instead of sending them. */
export function outboxMailer(db: Db, from: string): Mailer {
  return {
    async send(mail) {
      const inserted = await db.insert(mailOutbox).values(record(mail, from, "outbox", null)).onConflictDoNothing().returning({ id: mailOutbox.id });
      return { sent: inserted.length > 0 };
    },
  };
}

/**
 * Sends through the `send_email` binding and records the message after.
 * A crash between the two may send a message twice on retry; a lost report
 * would be worse than a repeated one.
 */
export function sendEmailMailer(env: MailEnv, db: Db): Mailer {
  return {
    async send(mail) {
      const prior = await db.query.mailOutbox.findFirst({ where: eq(mailOutbox.id, mail.id), columns: { id: true } });
      if (prior) return { sent: false };
      const result = await env.MAIL.send({
        from: env.MAIL_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        attachments: (mail.attachments ?? []).map((a) => ({ disposition: "attachment" as const, filename: a.filename, type: a.type, content: a.content })),
      });
      await db.insert(mailOutbox).values(record(mail, env.MAIL_FROM, "send_email", result.messageId)).onConflictDoNothing();
      return { sent: true };
    },
  };
}
