import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server on a random local port, for tests: it keeps every message it accepts.
 * `rejectNext(n)` makes it refuse the next n messages with a temporary error (451).
 */
export async function startSmtp() {
  const received: ReceivedMail[] = [];
  let rejects = 0;
  let rejected = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejects > 0) {
          rejects--;
          rejected++;
          const err = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        simpleParser(Buffer.concat(chunks))
          .then((m: ParsedMail) => {
            const to = (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) =>
              a.value.map((v) => v.address ?? ''),
            );
            received.push({
              to,
              from: m.from?.text ?? '',
              subject: m.subject ?? '',
              text: m.text ?? '',
              html: typeof m.html === 'string' ? m.html : '',
            });
            callback();
          })
          .catch((e: Error) => callback(e));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get rejected() {
      return rejected;
    },
    rejectNext(n: number) {
      rejects = n;
    },
    /** Waits for a mail to this address matching the test (polling what has arrived). */
    async mailTo(address: string, match: (m: ReceivedMail) => boolean = () => true, ms = 15_000) {
      const end = Date.now() + ms;
      for (;;) {
        const found = received.find((m) => m.to.includes(address.toLowerCase()) && match(m));
        if (found) return found;
        if (Date.now() > end) {
          throw new Error(
            `no mail to ${address} arrived; got ${JSON.stringify(received.map((m) => [m.to, m.subject]))}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail's plain-text part that starts with the given origin. */
export function linkIn(text: string, origin: string): URL {
  const m = new RegExp(`${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+`).exec(text);
  if (!m) throw new Error(`no link on ${origin} in:\n${text}`);
  return new URL(m[0]);
}
