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
 * `rejectNext(address, n)` makes it refuse the next n messages to that address with a temporary
 * error (451), whatever else is being delivered at the same time.
 */
export async function startSmtp() {
  const received: ReceivedMail[] = [];
  const rejects = new Map<string, number>();
  let rejected = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const left = rejects.get(address.address.toLowerCase()) ?? 0;
      if (left > 0) {
        rejects.set(address.address.toLowerCase(), left - 1);
        rejected++;
        const err = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
        err.responseCode = 451;
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
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
    rejectNext(address: string, n: number) {
      rejects.set(address.toLowerCase(), n);
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
