import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { onCommit, type Tx, withSystem } from '../db/tenant.ts';
import type { Logger } from '../logger.ts';
import { type MailData, renderMail } from './templates.ts';

/**
 * The mail queue: a row in mail_outbox written in the transaction that causes the mail, so a
 * mail is sent exactly when its cause commits. Delivery rounds (jobs/) claim due rows, render
 * and send them, and retry failures with exponential backoff; nothing a request does waits
 * for SMTP.
 */

export const MAIL_MAX_ATTEMPTS = 8;
/** How long a claimed mail is reserved for the node that took it. */
const LEASE_S = 120;

export interface MailToSend {
  organisationId: string;
  /** The member the mail is for, when it is one. */
  userId?: string | null;
  to: string;
  data: MailData;
}

type Waker = () => void;
const wakers = new Set<Waker>();

/** Delivery loops register here to start a round as soon as a transaction with mail commits. */
export function onMailQueued(fn: Waker): () => void {
  wakers.add(fn);
  return () => wakers.delete(fn);
}

export async function enqueueMail(tx: Tx, mails: MailToSend[]): Promise<void> {
  if (mails.length === 0) return;
  await tx
    .insertInto('mail_outbox')
    .values(
      mails.map((m) => ({
        organisation_id: m.organisationId,
        user_id: m.userId ?? null,
        recipient: m.to,
        kind: m.data.kind,
        data: JSON.stringify(m.data),
      })),
    )
    .execute();
  onCommit(tx, () => {
    for (const w of wakers) w();
  });
}

export interface Mailer {
  /** 'smtp' sends through SMTP_URL; 'outbox' logs and writes .eml files under DATA_DIR/outbox/. */
  mode: 'smtp' | 'outbox';
  send(message: { to: string; subject: string; text: string; html: string; id: string }): Promise<void>;
  close(): void;
}

export function createMailer(config: Config, logger: Logger): Mailer {
  if (config.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(config.smtpUrl);
    return {
      mode: 'smtp',
      async send(m) {
        await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text, html: m.html });
      },
      close: () => transport.close(),
    };
  }
  const dir = join(config.dataDir, 'outbox');
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    mode: 'outbox',
    async send(m) {
      const info = await stream.sendMail({
        from: config.mailFrom,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
      });
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${m.id}.eml`);
      await writeFile(file, info.message as Buffer);
      logger.info({ to: m.to, subject: m.subject, file }, 'mail written to the outbox (no SMTP_URL)');
    },
    close: () => stream.close(),
  };
}

export interface MailDeps {
  db: Db;
  logger: Logger;
  mailer: Mailer;
  origin: string;
  backoffMs: number;
}

/** One delivery round; answers how many mails it claimed. */
export async function deliverMail(deps: MailDeps, limit = 50): Promise<number> {
  const claimed = await withSystem(deps.db, async (tx) => {
    const { rows } = await sql<{ id: string; attempts: number; recipient: string; data: MailData }>`
      UPDATE mail_outbox m SET attempts = m.attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_S})
      FROM (
        SELECT id FROM mail_outbox
        WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE m.id = due.id
      RETURNING m.id, m.attempts, m.recipient, m.data`.execute(tx);
    return rows;
  });
  await Promise.all(
    claimed.map(async (m) => {
      let error: string | null = null;
      let rendered: { subject: string; text: string } | null = null;
      try {
        const r = renderMail(m.data, deps.origin);
        rendered = r;
        await deps.mailer.send({ ...r, to: m.recipient, id: m.id });
      } catch (err) {
        error = (err as Error)?.message ?? String(err);
        deps.logger.warn({ err, mailId: m.id, attempt: m.attempts }, 'mail not sent; will retry');
      }
      const giveUp = error !== null && m.attempts >= MAIL_MAX_ATTEMPTS;
      const delay = Math.min(3_600_000, deps.backoffMs * 2 ** (m.attempts - 1)) / 1000;
      await withSystem(deps.db, (tx) =>
        error === null
          ? sql`UPDATE mail_outbox SET sent_at = now(), last_error = NULL,
                  subject = ${rendered!.subject}, body_text = ${rendered!.text}
                WHERE id = ${m.id} AND attempts = ${m.attempts}`.execute(tx)
          : giveUp
            ? sql`UPDATE mail_outbox SET failed_at = now(), last_error = ${error.slice(0, 2000)}
                  WHERE id = ${m.id} AND attempts = ${m.attempts}`.execute(tx)
            : sql`UPDATE mail_outbox SET last_error = ${error.slice(0, 2000)},
                    next_attempt_at = now() + make_interval(secs => ${delay})
                  WHERE id = ${m.id} AND attempts = ${m.attempts}`.execute(tx),
      ).catch((err: unknown) => deps.logger.error({ err, mailId: m.id }, 'could not store a mail delivery result'));
    }),
  );
  return claimed.length;
}

export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  text: string;
  sentAt: string;
}

/**
 * Mail this organisation has written to the outbox, newest first. Other members' sign-in and
 * password-reset mails are left out: their links would let the reader into those accounts.
 */
export async function listOutbox(tx: Tx, viewerId: string, limit = 100): Promise<OutboxItem[]> {
  const rows = await tx
    .selectFrom('mail_outbox')
    .select(['id', 'recipient', 'subject', 'body_text', 'sent_at'])
    .where('sent_at', 'is not', null)
    .where((eb) => eb.or([eb('kind', 'not in', ['password_reset', 'magic_link']), eb('user_id', '=', viewerId)]))
    .orderBy('sent_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    to: r.recipient,
    subject: r.subject ?? '',
    text: r.body_text ?? '',
    sentAt: new Date(r.sent_at!).toISOString(),
  }));
}
