import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { seedTenant, type Tenant } from '../../test/fixtures.ts';
import { withSystem, withTenant } from '../db/tenant.ts';
import { startJobs } from '../jobs/index.ts';
import { fastOptions, schedulePosts, statuses, testDeps, waitFor } from '../jobs/testkit.ts';
import { parseOutboundAllow } from '../net/outbound.ts';
import { assetPath } from '../resources/assets/storage.ts';
import { putWebhook } from '../resources/integrations/service.ts';
import { mastodonConnector } from './mastodon.ts';
import { sandboxCounts } from './sandbox.ts';
import { keyFromString, loadSecretBox, secretBox } from './secrets.ts';
import { PublishError } from './types.ts';
import { signPayload, verifySignature } from './webhook.ts';

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts)));
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** Speaks the three Mastodon endpoints the connector uses, with Idempotency-Key semantics. */
function fakeMastodon(token: string) {
  const statuses = new Map<string, { id: string; status: string; media: string[] }>();
  const byKey = new Map<string, string>();
  const media: { type: string; size: number }[] = [];
  let failNext = 0;
  const server = createServer(async (req, res) => {
    const raw = await body(req);
    const send = (code: number, json: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'The access token is invalid' });
    if (failNext > 0) {
      failNext--;
      return send(503, { error: 'Service Unavailable' });
    }
    const url = new URL(req.url!, 'http://x');
    if (req.method === 'POST' && url.pathname === '/api/v2/media') {
      const type = /Content-Type: ([^\r\n]+)/i.exec(raw.toString('latin1'))?.[1] ?? '';
      media.push({ type, size: raw.length });
      return send(200, { id: `m${media.length}`, type: 'image' });
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/statuses') {
      const key = String(req.headers['idempotency-key'] ?? '');
      const existing = key && byKey.get(key);
      if (existing) return send(200, view(statuses.get(existing)!));
      const input = JSON.parse(raw.toString()) as { status: string; media_ids?: string[] };
      if (input.status.length > 500)
        return send(422, { error: 'Validation failed: Text character limit of 500 exceeded' });
      const id = String(100000 + statuses.size);
      statuses.set(id, { id, status: input.status, media: input.media_ids ?? [] });
      if (key) byKey.set(key, id);
      return send(200, view(statuses.get(id)!));
    }
    const m = /^\/api\/v1\/statuses\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const s = statuses.get(m[1]!);
      return s
        ? send(200, { ...view(s), favourites_count: 7, reblogs_count: 3, replies_count: 2 })
        : send(404, { error: 'Record not found' });
    }
    send(404, { error: 'Not found' });
  });
  const view = (s: { id: string }) => ({
    id: s.id,
    url: `https://masto.test/@chorus/${s.id}`,
    created_at: '2026-11-25T08:00:00.000Z',
  });
  return {
    server,
    statuses,
    media,
    failOnce: (n = 1) => {
      failNext = n;
    },
  };
}

let database: TestDatabase;
let tenant: Tenant;
beforeAll(async () => {
  database = await freshDatabase();
  tenant = await seedTenant(database.db);
});
afterAll(async () => {
  await database.close();
});

describe('secrets', () => {
  it('round-trips, refuses tampering, and keeps a generated key file', async () => {
    const box = secretBox(keyFromString('correct horse battery staple'));
    const sealed = box.seal('s3cret');
    expect(sealed.toString('utf8')).not.toContain('s3cret');
    expect(box.open(sealed)).toBe('s3cret');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => box.open(tampered)).toThrow();
    expect(() => secretBox(keyFromString('another key')).open(sealed)).toThrow();
    const dir = await mkdtemp(join(tmpdir(), 'chorus-key-'));
    const a = await loadSecretBox(dir);
    const b = await loadSecretBox(dir);
    expect(b.open(a.seal('x'))).toBe('x');
  });
});

describe('webhook signatures', () => {
  it('verifies t.body HMACs, refusing tampering, other secrets and replays', () => {
    const now = 1_800_000_000;
    const header = signPayload('whsec', '{"a":1}', now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec', header, '{"a":1}', { nowS: now + 10 })).toBe(true);
    expect(verifySignature('whsec', header, '{"a":2}', { nowS: now })).toBe(false);
    expect(verifySignature('other', header, '{"a":1}', { nowS: now })).toBe(false);
    expect(verifySignature('whsec', header, '{"a":1}', { nowS: now + 301 })).toBe(false);
    expect(verifySignature('whsec', 'garbage', '{"a":1}', { nowS: now })).toBe(false);
    expect(verifySignature('whsec', undefined, '{"a":1}', { nowS: now })).toBe(false);
  });

  it('delivers signed lifecycle events from the outbox, retrying a failing endpoint', async () => {
    const got: { event: string; postId: string; valid: boolean; delivery: string }[] = [];
    let refuse = 1;
    const server = createServer(async (req, res) => {
      const raw = (await body(req)).toString();
      if (refuse-- > 0) {
        res.writeHead(500).end();
        return;
      }
      const payload = JSON.parse(raw) as { event: string; post: { id: string } };
      got.push({
        event: payload.event,
        postId: payload.post.id,
        valid: verifySignature('hook-secret', req.headers['x-chorus-signature'] as string, raw),
        delivery: String(req.headers['x-chorus-delivery']),
      });
      res.writeHead(204).end();
    });
    const url = await listen(server);
    const deps = await testDeps(database.db);
    const box = await loadSecretBox(deps.config.dataDir, deps.config.secretKey);
    await withTenant(database.db, tenant.orgId, (tx) =>
      putWebhook(
        tx,
        box,
        { userId: tenant.userId, organisationId: tenant.orgId },
        { url: `${url}/hooks`, secret: 'hook-secret' },
      ),
    );
    const jobs = await startJobs(deps, database, fastOptions());
    try {
      const [id] = await schedulePosts(database.db, tenant, 1);
      await waitFor(async () => got.filter((g) => g.postId === id).length >= 2, 15_000, 'two webhook events');
      const mine = got.filter((g) => g.postId === id);
      // A retried delivery may arrive after a later event: receivers order by post.version.
      expect(mine.map((g) => g.event).sort()).toEqual(['post.created', 'post.published']);
      expect(mine.every((g) => g.valid)).toBe(true);
      // The endpoint answered before the outcome was stored: wait for the store.
      const rows = await waitFor(async () => {
        const r = await withTenant(database.db, tenant.orgId, (tx) =>
          tx
            .selectFrom('webhook_deliveries')
            .select(['id', 'attempts', 'delivered_at'])
            .orderBy('created_at')
            .execute(),
        );
        return r.every((x) => x.delivered_at !== null) && r;
      });
      expect(rows).toHaveLength(2);
      expect(Math.max(...rows.map((r) => r.attempts))).toBe(2);
      expect(new Set(mine.map((g) => g.delivery))).toEqual(new Set(rows.map((r) => r.id)));
    } finally {
      await jobs.close();
      await withTenant(database.db, tenant.orgId, (tx) => tx.deleteFrom('webhook_endpoints').execute());
      server.close();
    }
  });
});

describe('mastodon connector', () => {
  it('uploads media, posts with an Idempotency-Key (a repeat gives the same status) and reads counts', async () => {
    const fake = fakeMastodon('tok');
    const base = await listen(fake.server);
    const dataDir = await mkdtemp(join(tmpdir(), 'chorus-masto-'));
    const storageKey = `${tenant.orgId}/${randomUUID()}`;
    await mkdir(dirname(assetPath(dataDir, storageKey)), { recursive: true });
    await writeFile(assetPath(dataDir, storageKey), Buffer.from('\x89PNG fake image bytes'));
    const c = mastodonConnector(parseOutboundAllow('127.0.0.1/32'));
    const post = {
      id: randomUUID(),
      organisationId: tenant.orgId,
      platform: 'mastodon',
      content: 'Hello fediverse',
      assets: [{ id: randomUUID(), mediaType: 'image/png', fileName: 'a.png', storageKey }],
    };
    const ctx = {
      idempotencyKey: randomUUID(),
      account: { baseUrl: base, credentials: { accessToken: 'tok' } },
      db: database.db,
      dataDir,
    };
    try {
      const first = await c.publish(post, ctx);
      const again = await c.publish(post, ctx);
      expect(again.externalId).toBe(first.externalId);
      expect(first.externalUrl).toBe(`https://masto.test/@chorus/${first.externalId}`);
      expect(fake.statuses.size).toBe(1);
      expect(fake.statuses.get(first.externalId)!.media).toEqual(['m1']);
      expect(fake.media[0]!.type).toBe('image/png');
      expect(await c.fetchMetrics([first.externalId, '999'], ctx)).toEqual([
        { externalId: first.externalId, likes: 7, shares: 3, comments: 2, impressions: 0 },
      ]);
      fake.failOnce();
      const transient = await c
        .publish({ ...post, assets: [] }, { ...ctx, idempotencyKey: randomUUID() })
        .catch((e) => e);
      expect(transient).toBeInstanceOf(PublishError);
      expect(transient.transient).toBe(true);
      const refused = await c
        .publish(post, { ...ctx, account: { baseUrl: base, credentials: { accessToken: 'wrong' } } })
        .catch((e) => e);
      expect(refused.transient).toBe(false);
      expect(refused.message).toMatch(/401.*access token is invalid/);
    } finally {
      fake.server.close();
    }
  });

  it('publishes a scheduled mastodon post end to end with encrypted per-organisation credentials', async () => {
    const fake = fakeMastodon('org-token');
    const base = await listen(fake.server);
    const deps = await testDeps(database.db);
    const box = await loadSecretBox(deps.config.dataDir, deps.config.secretKey);
    await withTenant(database.db, tenant.orgId, (tx) =>
      tx
        .insertInto('connector_accounts')
        .values({
          organisation_id: tenant.orgId,
          platform: 'mastodon',
          connector: 'mastodon',
          base_url: base,
          credentials: box.seal(JSON.stringify({ accessToken: 'org-token' })),
        })
        .execute(),
    );
    const jobs = await startJobs(deps, database, fastOptions());
    try {
      const [id] = await schedulePosts(database.db, tenant, 1, { platform: 'mastodon', content: 'Scheduled toot' });
      const [row] = await waitFor(async () => {
        const r = await statuses(database.db, [id!]);
        return r[0]?.status === 'published' && r;
      });
      expect(fake.statuses.get(row!.external_id!)!.status).toBe('Scheduled toot');
      const stored = await withSystem(database.db, (tx) =>
        tx
          .selectFrom('connector_accounts')
          .select('credentials')
          .where('organisation_id', '=', tenant.orgId)
          .executeTakeFirstOrThrow(),
      );
      expect(stored.credentials!.toString('latin1')).not.toContain('org-token');
      await waitFor(async () => {
        const m = await withTenant(database.db, tenant.orgId, (tx) =>
          tx
            .selectFrom('post_metrics')
            .select(['likes', 'shares', 'comments'])
            .where('scheduled_post_id', '=', id!)
            .execute(),
        );
        return m.length > 0 && m;
      });
    } finally {
      await jobs.close();
      fake.server.close();
    }
  });
});

describe('sandbox engagement curve', () => {
  it('grows, saturates and never goes down', () => {
    const t0 = Date.parse('2026-11-25T08:00:00Z');
    let prev = sandboxCounts('sbx_x_1', t0, t0);
    expect(prev.impressions).toBeLessThan(sandboxCounts('sbx_x_1', t0, t0 + 120_000).impressions);
    for (let s = 10; s < 3 * 86_400; s += 37) {
      const c = sandboxCounts('sbx_x_1', t0, t0 + s * 1000);
      for (const k of ['impressions', 'likes', 'shares', 'comments'] as const)
        expect(c[k]).toBeGreaterThanOrEqual(prev[k]);
      prev = c;
    }
    expect(prev.impressions).toBeGreaterThan(400);
    expect(sandboxCounts('sbx_x_1', t0, t0 + 4 * 86_400_000).impressions - prev.impressions).toBeLessThan(
      prev.impressions * 0.01,
    );
  });
});
