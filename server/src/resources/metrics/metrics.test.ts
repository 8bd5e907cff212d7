import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/api.ts';
import { buildWorld, type World } from '../../../test/world.ts';
import { withTenant } from '../../db/tenant.ts';

let app: TestApp;
let w: World;
let second: string;
beforeAll(async () => {
  app = await startTestApp();
  w = await buildWorld(app.url, 'metrics');
  second = (await w.owner.json<any>('POST', '/posts', { campaignId: w.campaignId, content: 'Second' })).body.id;
});
afterAll(() => app?.close());

const snap = (postId: string, at: string, n: number) => ({
  postId,
  capturedAt: at,
  likes: n,
  shares: n,
  comments: n,
  impressions: n * 10,
});

describe('metrics', () => {
  it('ingests 10,000 snapshots in one call, idempotently', async () => {
    const start = Date.parse('2025-01-01T00:00:00Z');
    const snapshots = Array.from({ length: 10_000 }, (_, i) =>
      snap(w.postId, new Date(start + i * 60_000).toISOString(), i),
    );
    const first = await w.owner.json<any>('POST', '/metrics', { snapshots });
    expect(first.body).toEqual({ accepted: 10_000, duplicates: 0 });
    const again = await w.owner.json<any>('POST', '/metrics', { snapshots });
    expect(again.body).toEqual({ accepted: 0, duplicates: 10_000 });
    // New and old mixed, and a repeat inside one call: each pair is stored once.
    const later = snap(w.postId, '2026-06-01T00:00:00+02:00', 1);
    const mixed = await w.owner.json<any>('POST', '/metrics', {
      snapshots: [snapshots[0], later, { ...later, capturedAt: '2026-05-31T22:00:00Z' }],
    });
    expect(mixed.body).toEqual({ accepted: 1, duplicates: 2 });
    const count = await withTenant(app.database.db, w.owner.organisationId, (tx) =>
      tx
        .selectFrom('post_metrics')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('scheduled_post_id', '=', w.postId)
        .executeTakeFirstOrThrow(),
    );
    expect(Number(count.n)).toBe(10_001);
  });

  it('refuses more than 10,000, negative counts, and invisible posts — storing nothing', async () => {
    expect(
      (
        await w.owner.json('POST', '/metrics', {
          snapshots: Array.from({ length: 10_001 }, () => snap(w.postId, '2026-01-01T00:00:00Z', 1)),
        })
      ).status,
    ).toBe(400);
    const neg = await w.owner.json<any>('POST', '/metrics', {
      snapshots: [{ ...snap(second, '2026-01-01T00:00:00Z', 1), likes: -1 }],
    });
    expect(neg.status).toBe(400);
    const invisible = await w.owner.json<any>('POST', '/metrics', {
      snapshots: [
        snap(second, '2026-01-01T00:00:00Z', 1),
        snap('00000000-0000-4000-8000-000000000000', '2026-01-01T00:00:00Z', 1),
      ],
    });
    expect(invisible.status).toBe(422);
    expect(invisible.body.errors[0].path).toBe('snapshots.1.postId');
    const other = await buildWorld(app.url, 'metrics-other');
    const foreign = await w.owner.json<any>('POST', '/metrics', {
      snapshots: [
        snap(second, '2026-01-01T00:00:00Z', 1),
        snap(second, '2026-01-01T01:00:00Z', 1),
        snap(other.postId, '2026-01-01T00:00:00Z', 1),
      ],
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0].path).toBe('snapshots.2.postId');
    const stored = await withTenant(app.database.db, w.owner.organisationId, (tx) =>
      tx.selectFrom('post_metrics').select('id').where('scheduled_post_id', '=', second).execute(),
    );
    expect(stored).toEqual([]);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const ahead = await w.owner.json<any>('POST', '/metrics', { snapshots: [snap(second, future, 1)] });
    expect(ahead.status).toBe(400);
    expect(ahead.body.errors[0].path).toBe('snapshots.0.capturedAt');
    const fraction = await w.owner.json<any>('POST', '/metrics', {
      snapshots: [{ ...snap(second, '2026-01-01T00:00:00Z', 1), shares: 1.5 }],
    });
    expect(fraction.status).toBe(400);
    const extra = await w.owner.json<any>('POST', '/metrics', {
      snapshots: [{ ...snap(second, '2026-01-01T00:00:00Z', 1), organisationId: w.owner.organisationId }],
    });
    expect(extra.status).toBe(400);
    expect((await w.owner.json('POST', '/metrics', { snapshots: [] })).status).toBe(400);
    const series = await w.owner.json<any>(
      'GET',
      `/posts/${second}/metrics?from=2025-12-01T00:00:00Z&to=2026-02-01T00:00:00Z`,
    );
    expect(series.body.series).toEqual([]);
  });

  it('buckets a post series by hour and day, each bucket holding its latest snapshot', async () => {
    await w.owner.json('POST', '/metrics', {
      snapshots: [
        snap(second, '2026-03-01T10:05:00Z', 1),
        snap(second, '2026-03-01T10:55:00Z', 3),
        snap(second, '2026-03-01T11:10:00Z', 4),
        snap(second, '2026-03-02T09:00:00Z', 9),
      ],
    });
    const hourly = await w.owner.json<any>(
      'GET',
      `/posts/${second}/metrics?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z&interval=hour`,
    );
    expect(hourly.body.series.map((p: any) => [p.at, p.likes])).toEqual([
      ['2026-03-01T10:00:00.000Z', 3],
      ['2026-03-01T11:00:00.000Z', 4],
      ['2026-03-02T09:00:00.000Z', 9],
    ]);
    const daily = await w.owner.json<any>(
      'GET',
      `/posts/${second}/metrics?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z&interval=day`,
    );
    expect(daily.body.series.map((p: any) => p.likes)).toEqual([4, 9]);
    expect(daily.body.latest).toMatchObject({ likes: 9, impressions: 90 });
  });

  it("sums a campaign's posts, carrying a quiet post's last value forward", async () => {
    const org = await buildWorld(app.url, 'camp');
    const a = org.postId;
    const b = (await org.owner.json<any>('POST', '/posts', { campaignId: org.campaignId, content: 'B' })).body.id;
    await org.owner.json('POST', '/metrics', {
      snapshots: [
        snap(a, '2026-04-01T00:10:00Z', 10),
        snap(b, '2026-04-01T01:10:00Z', 5),
        snap(a, '2026-04-01T02:10:00Z', 20),
      ],
    });
    const s = await org.owner.json<any>(
      'GET',
      `/campaigns/${org.campaignId}/metrics?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z`,
    );
    expect(s.body.series.map((p: any) => [p.at.slice(11, 13), p.likes])).toEqual([
      ['00', 10],
      ['01', 15],
      ['02', 25],
    ]);
    expect(s.body.latest).toMatchObject({ at: '2026-04-01T02:10:00.000Z', likes: 25, impressions: 250 });
    // By day the two posts' last values of the day add up; a later window carries both forward.
    await org.owner.json('POST', '/metrics', { snapshots: [snap(b, '2026-04-03T12:00:00Z', 7)] });
    const daily = await org.owner.json<any>(
      'GET',
      `/campaigns/${org.campaignId}/metrics?from=2026-04-01T00:00:00Z&to=2026-04-05T00:00:00Z&interval=day`,
    );
    expect(daily.body.series.map((p: any) => [p.at, p.likes])).toEqual([
      ['2026-04-01T00:00:00.000Z', 25],
      ['2026-04-03T00:00:00.000Z', 27],
    ]);
    const window = await org.owner.json<any>(
      'GET',
      `/campaigns/${org.campaignId}/metrics?from=2026-04-03T00:00:00Z&to=2026-04-04T00:00:00Z&interval=hour`,
    );
    // Post a has nothing in this window, yet its 20 from before `from` still counts.
    expect(window.body.series.map((p: any) => [p.at.slice(11, 13), p.likes])).toEqual([['12', 27]]);
    expect(window.body.latest.likes).toBe(27);
  });

  it('lets owners, admins and managers ingest; every member read; other organisations see 404', async () => {
    const one = (i: number) => ({ snapshots: [snap(second, `2026-07-0${i}T00:00:00Z`, i)] });
    expect((await w.members.manager.json('POST', '/metrics', one(1))).status).toBe(200);
    expect((await w.members.admin.json('POST', '/metrics', one(2))).status).toBe(200);
    expect((await w.members.editor.json('POST', '/metrics', one(3))).status).toBe(403);
    expect((await w.members.viewer.json('POST', '/metrics', one(4))).status).toBe(403);
    const read = await w.members.viewer.json<any>(
      'GET',
      `/posts/${second}/metrics?from=2026-07-01T00:00:00Z&to=2026-07-05T00:00:00Z&interval=day`,
    );
    expect(read.body.series.map((p: any) => p.likes)).toEqual([1, 2]);
    const other = await buildWorld(app.url, 'metrics-hidden');
    expect((await other.owner.json('GET', `/posts/${second}/metrics`)).status).toBe(404);
    expect((await other.owner.json('GET', `/campaigns/${w.campaignId}/metrics`)).status).toBe(404);
    expect((await other.owner.json('GET', '/posts/not-a-uuid/metrics')).status).toBe(404);
  });

  it('bounds the requested range', async () => {
    expect(
      (
        await w.owner.json(
          'GET',
          `/posts/${w.postId}/metrics?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=hour`,
        )
      ).status,
    ).toBe(400);
    expect(
      (await w.owner.json('GET', `/posts/${w.postId}/metrics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`))
        .status,
    ).toBe(400);
    expect(
      (await w.owner.json('GET', `/posts/${w.postId}/metrics?from=2026-01-01T00:00:00Z&interval=week`)).status,
    ).toBe(400);
    expect((await w.owner.json('GET', `/posts/${w.postId}/metrics?from=yesterday`)).status).toBe(400);
    const yearZero = '?from=0000-01-01T00:00:00Z&to=0000-01-02T00:00:00Z';
    expect((await w.owner.json('GET', `/posts/${w.postId}/metrics${yearZero}`)).status).toBe(400);
    expect((await w.owner.json('GET', `/campaigns/${w.campaignId}/metrics${yearZero}`)).status).toBe(400);
    const ancient = await w.owner.json<any>('POST', '/metrics', {
      snapshots: [snap(w.postId, '0000-01-01T00:00:00Z', 1)],
    });
    expect(ancient.status).toBe(400);
    const quiet = await w.owner.json<any>('POST', '/campaigns', {
      clientId: w.clientId,
      name: `Quiet ${Date.now()}`,
      platform: 'x',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    const empty = await w.members.viewer.json<any>('GET', `/campaigns/${quiet.body.id}/metrics`);
    expect(empty.body).toEqual({ series: [], latest: null });
  });
});
