import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mailerFor, outboxMailer, sendEmailMailer } from "../../src/payouts/mail";
import { db } from "./helpers";

const pdf = new TextEncoder().encode("%PDF-1.7 test");
const mail = (id: string, to = "seller@example.com") => ({
  id,
  to,
  subject: "Your Tessera payout report",
  text: "Hello",
  attachments: [{ filename: "report.pdf", type: "application/pdf", content: pdf }],
});

describe("mail", () => {
  it("the outbox transport records each message once", async () => {
    const mailer = outboxMailer(db, "payouts@tessera.test");
    expect(await mailer.send(mail("m-outbox-1", "outbox@example.com"))).toEqual({ sent: true });
    expect(await mailer.send(mail("m-outbox-1", "outbox@example.com"))).toEqual({ sent: false });
    const { results } = await env.DB.prepare("SELECT * FROM mail_outbox WHERE id = 'm-outbox-1'").all<any>();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ transport: "outbox", from: "payouts@tessera.test", to: "outbox@example.com", message_id: null });
    expect(JSON.parse(results[0].attachments)).toEqual([{ filename: "report.pdf", type: "application/pdf", size: pdf.byteLength }]);
  });

  it("MAIL_TRANSPORT picks the transport; the outbox is the default here", async () => {
    expect(env.MAIL_TRANSPORT).toBe("outbox");
    await mailerFor(env, db).send(mail("m-default"));
    expect(await env.DB.prepare("SELECT transport FROM mail_outbox WHERE id = 'm-default'").first()).toEqual({ transport: "outbox" });
  });

  it("the send_email transport sends through the binding once per id and records it", async () => {
    const sent: unknown[] = [];
    const binding = {
      send: async (message: unknown) => {
        sent.push(message);
        return { messageId: `<msg-${sent.length}@tessera.test>` };
      },
    } as unknown as SendEmail;
    const mailer = sendEmailMailer({ MAIL: binding, MAIL_FROM: "payouts@tessera.test", MAIL_TRANSPORT: "outbox" }, db);
    expect(await mailer.send(mail("m-binding-1"))).toEqual({ sent: true });
    expect(await mailer.send(mail("m-binding-1"))).toEqual({ sent: false });
    expect(sent).toEqual([
      {
        from: "payouts@tessera.test",
        to: "seller@example.com",
        subject: "Your Tessera payout report",
        text: "Hello",
        attachments: [{ disposition: "attachment", filename: "report.pdf", type: "application/pdf", content: pdf }],
      },
    ]);
    expect(await env.DB.prepare("SELECT transport, message_id FROM mail_outbox WHERE id = 'm-binding-1'").first()).toEqual({
      transport: "send_email",
      message_id: "<msg-1@tessera.test>",
    });
  });

  it("the worker's own MAIL binding accepts a report (local send_email)", async () => {
    const result = await sendEmailMailer(env, db).send(mail("m-local-binding"));
    expect(result).toEqual({ sent: true });
    const row = await env.DB.prepare("SELECT transport, message_id FROM mail_outbox WHERE id = 'm-local-binding'").first<any>();
    expect(row.transport).toBe("send_email");
  });
});
