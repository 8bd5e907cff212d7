import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApp, type TestApp } from '../../test/api.ts';
import { buildWorld } from '../../test/world.ts';
import { mastodonConnector } from '../connectors/mastodon.ts';
import { PublishError } from '../connectors/types.ts';
import { withTenant } from '../db/tenant.ts';
import {
  checkOutboundUrl,
  NO_OUTBOUND_EXCEPTIONS,
  OutboundRefused,
  outboundFetch,
  parseOutboundAllow,
} from './outbound.ts';

/** A local HTTP listener that records every request it gets (the "was it contacted?" witness). */
async function listener(
  handler?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
) {
  const hits: Array<{ method: string; url: string; headers: Record<string, unknown> }> = [];
  const server: Server = createServer((req, res) => {
    hits.push({ method: req.method!, url: req.url!, headers: req.headers });
    req.resume();
    req.on('end', () => (handler ? handler(req, res) : res.end('ok')));
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    hits,
    connections: () => connections,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// Every notation of a non-public destination the WHATWG parser accepts, and the classes around them.
const REFUSED = [
  'http://127.0.0.1/',
  'http://127.1/',
  'http://[::1]/',
  'http://localhost/',
  'http://LOCALHOST./',
  'http://api.localhost/',
  'http://0.0.0.0/',
  'http://0/',
  'http://2130706433/',
  'http://017700000001/',
  'http://0x7f.1/',
  'http://0x7f000001/',
  'http://10.0.0.1/',
  'http://172.16.5.4/',
  'http://192.168.1.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.64.0.1/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'http://240.0.0.1/',
  'http://192.0.2.10/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::]/',
  'http://[fe80::1]/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://[ff02::1]/',
  'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/',
  'http://[2001:db8::1]/',
  'https://127.0.0.1:8443/hooks',
  'ftp://example.com/',
  'http://user:pass@93.184.215.14/',
];

describe('the outbound policy', () => {
  it.each(REFUSED)('refuses %s', async (url) => {
    await expect(checkOutboundUrl(url, NO_OUTBOUND_EXCEPTIONS)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(outboundFetch(url, NO_OUTBOUND_EXCEPTIONS)).rejects.toBeInstanceOf(OutboundRefused);
  });

  it('accepts public addresses and names that do not resolve yet (checked again when used)', async () => {
    await expect(checkOutboundUrl('https://93.184.215.14/hook', NO_OUTBOUND_EXCEPTIONS)).resolves.toBeUndefined();
    await expect(checkOutboundUrl('https://[2606:4700::1111]/', NO_OUTBOUND_EXCEPTIONS)).resolves.toBeUndefined();
    await expect(checkOutboundUrl('https://mastodon.example/', NO_OUTBOUND_EXCEPTIONS)).resolves.toBeUndefined();
  });

  it('parses CHORUS_OUTBOUND_ALLOW and opens exactly what it lists', async () => {
    const allow = parseOutboundAllow('127.0.0.1:8080, [::1]:9000, 10.1.0.0/16, Mastodon.internal:443');
    expect(allow.hostPorts).toEqual([
      { host: '127.0.0.1', port: 8080 },
      { host: '::1', port: 9000 },
      { host: 'mastodon.internal', port: 443 },
    ]);
    await expect(checkOutboundUrl('http://127.0.0.1:8080/x', allow)).resolves.toBeUndefined();
    await expect(checkOutboundUrl('http://[::1]:9000/x', allow)).resolves.toBeUndefined();
    await expect(checkOutboundUrl('http://10.1.2.3/x', allow)).resolves.toBeUndefined();
    await expect(checkOutboundUrl('https://mastodon.internal/', allow)).resolves.toBeUndefined();
    // Same host, other port; neighbouring range: still refused.
    await expect(checkOutboundUrl('http://127.0.0.1:8081/x', allow)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(checkOutboundUrl('http://10.2.0.1/x', allow)).rejects.toBeInstanceOf(OutboundRefused);
    for (const bad of ['nonsense', '10.0.0.0/99', 'host:0', 'host:99999', ':80']) {
      expect(() => parseOutboundAllow(bad), bad).toThrow(bad);
    }
  });

  it('resolves names inside the connection and refuses a name that points at loopback', async () => {
    const l = await listener();
    try {
      // Not exempt by name: the socket's own lookup resolves it and refuses 127.0.0.1.
      const allow = parseOutboundAllow('203.0.113.0/24');
      await expect(outboundFetch(`http://localhost:${l.port}/`, allow)).rejects.toBeInstanceOf(OutboundRefused);
      expect(l.connections()).toBe(0);
    } finally {
      await l.close();
    }
  });

  it('never follows a redirect, and bounds the answer', async () => {
    const target = await listener();
    const big = 'x'.repeat(200_000);
    const source = await listener((req, res) => {
      if (req.url === '/big') return res.end(big);
      res.writeHead(307, { location: `http://[::1]:${target.port}/internal` }).end();
    });
    try {
      const allow = parseOutboundAllow(`127.0.0.1:${source.port}`);
      const res = await outboundFetch(`${source.url}/start`, allow);
      expect(res.status).toBe(307);
      expect(target.hits).toEqual([]);
      await expect(outboundFetch(`${source.url}/big`, allow, { maxResponseBytes: 10_000 })).rejects.toThrow(
        /larger than/,
      );
    } finally {
      await Promise.all([target.close(), source.close()]);
    }
  });
});

describe('webhooks and connectors through the API', () => {
  let app: TestApp;
  let owner: Caller;
  let campaignId: string;
  let allowed: Awaited<ReturnType<typeof listener>>;
  let refused: Awaited<ReturnType<typeof listener>>;

  beforeAll(async () => {
    allowed = await listener();
    refused = await listener();
    app = await startTestApp({ CHORUS_WEBHOOK_POLL_MS: '100', CHORUS_OUTBOUND_ALLOW: `127.0.0.1:${allowed.port}` });
    const w = await buildWorld(app.url, 'ssrf');
    owner = w.owner;
    campaignId = w.campaignId;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await allowed?.close();
    await refused?.close();
  });

  it('refuses every non-public notation when a webhook URL or Mastodon instance is saved (422 naming the field)', async () => {
    for (const url of [...REFUSED.filter((u) => u.startsWith('http')), `${refused.url}/hooks`]) {
      const hook = await owner.json<any>('PUT', '/organisation/webhook', { url, secret: 'a-long-enough-secret' });
      expect([400, 422], url).toContain(hook.status);
      expect(hook.body.errors[0].path, url).toBe('url');
      const account = await owner.json<any>('PUT', '/organisation/connectors/mastodon', {
        connector: 'mastodon',
        baseUrl: url,
        accessToken: 'token',
      });
      expect([400, 422], url).toContain(account.status);
      expect(account.body.errors[0].path, url).toBe('baseUrl');
    }
    expect((await owner.call('GET', '/organisation/webhook')).status).toBe(404);
    expect(refused.connections()).toBe(0);
  });

  it('delivers to an allowed listener; a refused one stored before the rule is re-checked on use and never contacted', async () => {
    const put = await owner.json('PUT', '/organisation/webhook', {
      url: `${allowed.url}/hooks`,
      secret: 'a-long-enough-secret',
    });
    expect(put.status).toBe(200);
    await owner.json('POST', '/posts', { campaignId, content: 'to the allowed hook', platform: 'x' });
    await waitUntil(() => allowed.hits.some((h) => h.url === '/hooks'), 'delivery to the allowed listener');

    // A URL that got into the table by other means (an older version, a hand edit) is refused when used.
    await withTenant(app.database.db, owner.organisationId, (tx) =>
      tx
        .updateTable('webhook_endpoints')
        .set({ url: `${refused.url}/hooks` })
        .execute(),
    );
    const before = allowed.hits.length;
    await owner.json('POST', '/posts', { campaignId, content: 'must not leave', platform: 'x' });
    const failed = await waitUntil(async () => {
      const rows = await withTenant(app.database.db, owner.organisationId, (tx) =>
        tx
          .selectFrom('webhook_deliveries')
          .select(['last_error', 'failed_at'])
          .where('failed_at', 'is not', null)
          .execute(),
      );
      return rows.length > 0 && rows;
    }, 'the refused delivery to be marked failed');
    expect(failed[0]!.last_error).toMatch(/Refused/);
    expect(refused.connections()).toBe(0);
    expect(allowed.hits.length).toBe(before);
  }, 30_000);

  it('a Mastodon instance that redirects to loopback is not followed, and its token goes nowhere else', async () => {
    const target = await listener();
    const instance = await listener((_req, res) => {
      res.writeHead(307, { location: `http://[::1]:${target.port}/api/v1/statuses` }).end();
    });
    try {
      const c = mastodonConnector(parseOutboundAllow(`127.0.0.1:${instance.port}`));
      const err = await c
        .publish(
          { id: randomUUID(), organisationId: owner.organisationId, platform: 'mastodon', content: 'hi', assets: [] },
          {
            idempotencyKey: randomUUID(),
            account: { baseUrl: instance.url, credentials: { accessToken: 'secret-token' } },
            db: app.database.db,
            dataDir: app.server.deps.config.dataDir,
          },
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PublishError);
      expect((err as PublishError).transient).toBe(false);
      expect((err as Error).message).toMatch(/307/);
      expect(target.connections()).toBe(0);
    } finally {
      await Promise.all([target.close(), instance.close()]);
    }
  });
});

async function waitUntil<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<Exclude<T, false>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as Exclude<T, false>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
