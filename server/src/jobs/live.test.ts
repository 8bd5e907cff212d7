import type { ChangeEvent, MetricsEvent } from '@chorus/shared/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, registerOwner, startTestApp, type TestApp } from '../../test/api.ts';
import { type Client, connected, socketTracker, until } from '../../test/sockets.ts';
import { fastOptions } from './testkit.ts';

// End to end: a post scheduled through the API is published by the server's own jobs, and
// its status moves and metrics snapshots arrive on a real socket — on PostgreSQL through
// graphile-worker, on embedded PGlite through the polling loops.

let app: TestApp;
let a: Caller;
let b: Caller;
const tracker = socketTracker();

beforeAll(async () => {
  app = await startTestApp({}, { jobs: fastOptions() });
  a = await registerOwner(app.url, 'live-a');
  b = await registerOwner(app.url, 'live-b');
}, 180_000); // an embedded database boots slowly on a loaded two-core machine
afterAll(async () => {
  tracker.closeAll();
  await app?.close();
});

async function socket(token: string): Promise<Client> {
  const s = tracker.socket(app.url, { token });
  await connected(s);
  return s;
}
function listen(s: Client) {
  const changes: ChangeEvent[] = [];
  const metrics: MetricsEvent[] = [];
  s.on('change', (c) => changes.push(c));
  s.on('metrics', (m) => metrics.push(m));
  return { changes, metrics };
}

describe('publishing, live on a socket', () => {
  it('streams a scheduled post going publishing → published, then its metrics snapshots, to its own organisation only', async () => {
    const client = await a.json<any>('POST', '/clients', { name: 'Live client' });
    expect(client.status).toBe(201);
    const campaign = await a.json<any>('POST', '/campaigns', {
      clientId: client.body.id,
      name: 'Live',
      platform: 'x',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    expect(campaign.status).toBe(201);
    const campaignId: string = campaign.body.id;
    const created = await a.json<any>('POST', '/posts', {
      campaignId,
      content: 'Hello, live world',
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const postId: string = created.body.id;
    const move = (status: string) => a.json<any>('POST', `/posts/${postId}/status`, { status });
    expect((await move('in_review')).status).toBe(200);
    expect((await move('approved')).status).toBe(200);

    const sa = await socket(a.token);
    const sb = await socket(b.token);
    const gotA = listen(sa);
    const gotB = listen(sb);
    expect(await sa.emitWithAck('subscribe', { postId })).toEqual({ ok: true });
    expect(await sb.emitWithAck('subscribe', { postId })).toEqual({ ok: false, code: 'not_found' });

    const scheduled = await move('scheduled');
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.status).toBe('scheduled');
    // Then rescheduled to ~1.5 s from now in one request, so a slow machine cannot let the time
    // pass between choosing it and scheduling.
    const soon = await a.json<any>('PATCH', `/posts/${postId}`, {
      scheduledAt: new Date(Date.now() + 1_500).toISOString(),
    });
    expect(soon.status).toBe(200);
    expect(soon.body.status).toBe('scheduled');

    const moves = () =>
      gotA.changes.filter((c) => c.entity === 'post' && c.id === postId).map((c) => c.data as Record<string, any>);
    await until(() => moves().some((d) => d.status === 'published'), 15_000, 'the published change');
    const statuses = moves().map((d) => d.status);
    expect(statuses.slice(statuses.lastIndexOf('scheduled'))).toEqual(['scheduled', 'publishing', 'published']);
    const published = moves().find((d) => d.status === 'published')!;
    expect(published.externalId).toMatch(/^sbx_/);
    const publisherMoves = gotA.changes.filter(
      (c) => c.entity === 'post' && c.id === postId && ['publishing', 'published'].includes((c.data as any).status),
    );
    expect(publisherMoves.every((c) => c.actorId === null)).toBe(true);

    const mine = () => gotA.metrics.filter((m) => m.postId === postId);
    await until(() => mine().length >= 2, 15_000, 'two metrics snapshots');
    const snaps = mine();
    for (const m of snaps) expect(m.campaignId).toBe(campaignId);
    for (let i = 1; i < snaps.length; i++) {
      expect(snaps[i]!.impressions).toBeGreaterThanOrEqual(snaps[i - 1]!.impressions);
      expect(Date.parse(snaps[i]!.capturedAt)).toBeGreaterThan(Date.parse(snaps[i - 1]!.capturedAt));
    }

    // The other organisation, refused the subscription, saw none of it.
    await new Promise((r) => setTimeout(r, 500));
    expect(gotB.metrics.filter((m) => m.postId === postId)).toEqual([]);
    expect(gotB.changes.filter((c) => c.id === postId)).toEqual([]);
  }, 60_000);
});
