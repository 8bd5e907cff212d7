import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { buildWorld } from '../../../test/world.ts';
import { verifySignature } from '../../connectors/webhook.ts';
import { withTenant } from '../../db/tenant.ts';

let app: TestApp;
let owner: Caller;
let other: Caller;
let receiver: Server;
let receiverUrl: string;
let campaignId: string;
const received: Array<{ signature: string | undefined; body: string }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      received.push({ signature: req.headers['x-chorus-signature'] as string | undefined, body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const port = (receiver.address() as AddressInfo).port;
  receiverUrl = `http://127.0.0.1:${port}/hooks`;
  // Loopback is refused unless listed: the test receiver is.
  app = await startTestApp({ CHORUS_WEBHOOK_POLL_MS: '100', CHORUS_OUTBOUND_ALLOW: `127.0.0.1:${port}` });
  const w = await buildWorld(app.url, 'i1');
  owner = w.owner;
  campaignId = w.campaignId;
  other = await registerOwner(app.url, 'i2');
});
afterAll(async () => {
  await app?.close();
  receiver?.close();
});

const SECRET = 'a-long-enough-signing-secret';

describe('webhook endpoint', () => {
  it('is configured through the API, keeps its secret sealed, and receives signed lifecycle events', async () => {
    expect((await owner.call('GET', '/organisation/webhook')).status).toBe(404);
    // The list form answers 200 either way (the settings page reads it: no 404 in the console).
    expect((await owner.json<any>('GET', '/organisation/webhooks')).body).toEqual({ items: [] });
    // A first endpoint needs its secret.
    const noSecret = await owner.json<any>('PUT', '/organisation/webhook', { url: receiverUrl });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.errors[0].path).toBe('secret');
    const put = await owner.json<any>('PUT', '/organisation/webhook', { url: receiverUrl, secret: SECRET });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ url: receiverUrl, isActive: true, hasSecret: true });
    expect(JSON.stringify(put.body)).not.toContain(SECRET);
    const listed = await owner.json<any>('GET', '/organisation/webhooks');
    expect(listed.body.items).toEqual([put.body]);
    const stored = await withTenant(app.database.db, owner.organisationId, (tx) =>
      tx.selectFrom('webhook_endpoints').select('secret').executeTakeFirstOrThrow(),
    );
    expect(Buffer.from(stored.secret).toString('latin1')).not.toContain(SECRET);

    // A post created afterwards reaches the receiver, signed with that secret.
    const post = await owner.json<any>('POST', '/posts', {
      campaignId: campaignId,
      content: 'Hello hooks',
      platform: 'mastodon',
    });
    expect(post.status).toBe(201);
    const deadline = Date.now() + 10_000;
    while (!received.some((r) => r.body.includes(post.body.id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const hit = received.find((r) => r.body.includes(post.body.id));
    expect(hit, 'delivery').toBeDefined();
    expect(JSON.parse(hit!.body)).toMatchObject({ event: 'post.created', post: { id: post.body.id } });
    expect(verifySignature(SECRET, hit!.signature, hit!.body)).toBe(true);
    expect(verifySignature('another-secret-entirely', hit!.signature, hit!.body)).toBe(false);

    // Later edits keep the secret when it is omitted; bad URLs change nothing.
    const paused = await owner.json<any>('PUT', '/organisation/webhook', { url: receiverUrl, isActive: false });
    expect(paused.body.isActive).toBe(false);
    const bad = await owner.json<any>('PUT', '/organisation/webhook', { url: 'ftp://nope.example' });
    expect(bad.status).toBe(400);
    expect(bad.res.headers.get('content-type')).toContain('application/problem+json');
    expect((await owner.json<any>('GET', '/organisation/webhook')).body).toMatchObject({ isActive: false });
    expect((await owner.call('DELETE', '/organisation/webhook')).status).toBe(204);
    expect((await owner.call('GET', '/organisation/webhook')).status).toBe(404);
  });

  it('belongs to owners and admins, and to their organisation only', async () => {
    const admin = await addMember(app.url, owner, 'admin');
    const manager = await addMember(app.url, owner, 'manager');
    expect((await admin.json('PUT', '/organisation/webhook', { url: receiverUrl, secret: SECRET })).status).toBe(200);
    expect((await manager.call('GET', '/organisation/webhook')).status).toBe(403);
    expect((await manager.json('PUT', '/organisation/webhook', { url: receiverUrl, secret: SECRET })).status).toBe(403);
    // Another organisation sees none of it.
    expect((await other.call('GET', '/organisation/webhook')).status).toBe(404);
    expect((await other.call('DELETE', '/organisation/webhook')).status).toBe(404);
    expect((await owner.call('GET', '/organisation/webhook')).status).toBe(200);
  });
});

describe('connector accounts', () => {
  it('stores a mastodon account with its token encrypted, keeps the token on later edits, and deletes it', async () => {
    expect((await owner.json<any>('GET', '/organisation/connectors')).body).toEqual({ items: [] });
    const incomplete = await owner.json<any>('PUT', '/organisation/connectors/mastodon', { connector: 'mastodon' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['accessToken', 'baseUrl']);
    const unknown = await owner.json<any>('PUT', '/organisation/connectors/myspace', { connector: 'sandbox' });
    expect(unknown.status).toBe(400);

    const put = await owner.json<any>('PUT', '/organisation/connectors/mastodon', {
      connector: 'mastodon',
      baseUrl: 'https://mastodon.example',
      accessToken: 'very-secret-token',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      platform: 'mastodon',
      connector: 'mastodon',
      baseUrl: 'https://mastodon.example',
      hasCredentials: true,
    });
    expect(JSON.stringify(put.body)).not.toContain('very-secret-token');
    const row = await withTenant(app.database.db, owner.organisationId, (tx) =>
      tx.selectFrom('connector_accounts').select('credentials').executeTakeFirstOrThrow(),
    );
    expect(Buffer.from(row.credentials!).toString('latin1')).not.toContain('very-secret-token');

    const moved = await owner.json<any>('PUT', '/organisation/connectors/mastodon', {
      connector: 'mastodon',
      baseUrl: 'https://social.example',
    });
    expect(moved.body).toMatchObject({ baseUrl: 'https://social.example', hasCredentials: true });
    const after = await withTenant(app.database.db, owner.organisationId, (tx) =>
      tx.selectFrom('connector_accounts').select('credentials').executeTakeFirstOrThrow(),
    );
    expect(Buffer.from(after.credentials!).equals(Buffer.from(row.credentials!))).toBe(true);

    const sandbox = await owner.json<any>('PUT', '/organisation/connectors/mastodon', { connector: 'sandbox' });
    expect(sandbox.body).toMatchObject({ connector: 'sandbox', baseUrl: null, hasCredentials: false });
    expect((await other.json<any>('GET', '/organisation/connectors')).body.items).toEqual([]);
    expect((await other.call('DELETE', '/organisation/connectors/mastodon')).status).toBe(404);
    const editor = await addMember(app.url, owner, 'editor');
    expect((await editor.call('GET', '/organisation/connectors')).status).toBe(403);
    expect((await owner.call('DELETE', '/organisation/connectors/mastodon')).status).toBe(204);
    expect((await owner.json<any>('GET', '/organisation/connectors')).body.items).toEqual([]);
  });
});
