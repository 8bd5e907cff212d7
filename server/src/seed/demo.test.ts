import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, startTestApp, type TestApp } from '../../test/api.ts';
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from './demo.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe.runIf(Boolean(process.env.DATABASE_URL))('demo data', () => {
  it('builds a believable agency once, that the API then serves', async () => {
    const env = { DATABASE_URL: app.database.url!, DATA_DIR: app.server.deps.config.dataDir, LOG_LEVEL: 'silent' };
    expect(await seedDemo(env)).toEqual({ created: true });
    expect(await seedDemo(env)).toEqual({ created: false });
    const login = await fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }),
    });
    const body = (await login.json()) as any;
    const demo = caller(app.url, body.token, {
      userId: body.user.id,
      organisationId: body.organisation.id,
      email: DEMO_EMAIL,
    });
    expect((await demo.json<any>('GET', '/clients')).body.items).toHaveLength(4);
    expect((await demo.json<any>('GET', '/users')).body.items).toHaveLength(6);
    const posts = (await demo.json<any>('GET', '/posts?limit=200')).body.items;
    const statuses = new Set(posts.map((p: any) => p.status));
    for (const s of [
      'draft',
      'in_review',
      'changes_requested',
      'approved',
      'scheduled',
      'published',
      'failed',
      'cancelled',
      'client_review',
    ])
      expect(statuses).toContain(s);
    // Posts that the scheduler will publish minutes after the demo starts.
    const soon = posts.filter(
      (p: any) => p.status === 'scheduled' && Date.parse(p.scheduledAt) < Date.now() + 10 * 60_000,
    );
    expect(soon.length).toBeGreaterThan(0);
    const live = posts.find((p: any) => p.status === 'published');
    const series = await demo.json<any>('GET', `/posts/${live.id}/metrics?interval=day`);
    expect(series.body.series.length).toBeGreaterThan(2);
    expect(series.body.latest.impressions).toBeGreaterThan(0);
    // The owner has a handful of unread notifications, among them a mention, and mail waits.
    const notes = await demo.json<any>('GET', '/notifications?unread=true');
    expect(notes.body.unreadCount).toBeGreaterThan(0);
    expect(notes.body.unreadCount).toBeLessThanOrEqual(6);
    expect(notes.body.items.map((n: any) => n.type)).toContain('mentioned');
    const owners = await demo.json<any>('GET', '/notifications?limit=200');
    expect(owners.body.items.map((n: any) => n.type)).toContain('publish_failed');
    const campaign = posts[0].campaignId;
    expect((await demo.json<any>('GET', `/notes?campaignId=${campaign}`)).body.items.some((n: any) => n.parentId)).toBe(
      true,
    );

    // The client member signs in by its mailed link or the demo password and finds its posts waiting.
    const asClient = await fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'client@chorus.example', password: DEMO_PASSWORD }),
    });
    const cb = (await asClient.json()) as any;
    expect(cb.user.role).toBe('client');
    const client = caller(app.url, cb.token, { userId: cb.user.id, organisationId: cb.organisation.id, email: '' });
    const clients = (await client.json<any>('GET', '/clients')).body.items;
    expect(clients.map((c: any) => [c.name, c.approvalPolicy])).toEqual([['Lumen Studio', 'team_and_client']]);
    const waiting = (await client.json<any>('GET', '/posts?status=client_review')).body.items;
    expect(waiting).toHaveLength(3);
    const seen = (
      await client.json<any>('GET', `/notes?postId=${waiting.find((p: any) => p.content.startsWith('Spring')).id}`)
    ).body.items;
    expect(seen.map((n: any) => n.visibility)).toEqual(['client', 'client']);
  }, 120_000);
});
