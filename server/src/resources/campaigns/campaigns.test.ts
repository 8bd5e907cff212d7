import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { feedRows } from '../../../test/feed.ts';
import { withTenant } from '../../db/tenant.ts';

let app: TestApp;
let owner: Caller;
let other: Caller;
let clientId: string;
let otherClientId: string;
let otherCampaignId: string;

const body = (extra: Record<string, unknown> = {}) => ({
  clientId,
  name: `Campaign ${Math.random().toString(36).slice(2, 8)}`,
  platform: 'linkedin',
  startDate: '2026-04-01',
  endDate: '2026-04-30',
  ...extra,
});

beforeAll(async () => {
  app = await startTestApp();
  owner = await registerOwner(app.url, 'camp');
  other = await registerOwner(app.url, 'camp-other');
  clientId = (await owner.json<any>('POST', '/clients', { name: 'Acme' })).body.id;
  otherClientId = (await other.json<any>('POST', '/clients', { name: 'Elsewhere' })).body.id;
  otherCampaignId = (
    await other.json<any>('POST', '/campaigns', {
      clientId: otherClientId,
      name: 'Theirs',
      platform: 'x',
      startDate: '2026-01-01',
      endDate: '2026-01-31',
    })
  ).body.id;
}, 180_000); // an embedded database boots slowly on a loaded two-core machine
afterAll(() => app?.close());

const changesFor = (org: Caller, id: string) => feedRows(app.database.db, org.organisationId, id);

describe('campaigns CRUD', () => {
  it('creates, reads, edits and deletes, recording each write in the change feed', async () => {
    const created = await owner.json<any>(
      'POST',
      '/campaigns',
      body({ name: 'Launch', goal: 'Awareness', budgetAmount: '2500.50', budgetCurrency: 'USD' }),
    );
    expect(created.status).toBe(201);
    expect(created.res.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({
      clientId,
      name: 'Launch',
      platform: 'linkedin',
      goal: 'Awareness',
      startDate: '2026-04-01',
      endDate: '2026-04-30',
      budgetAmount: '2500.50',
      budgetCurrency: 'USD',
      version: 1,
      createdBy: owner.userId,
      updatedBy: owner.userId,
    });
    const id = created.body.id;
    expect((await owner.json<any>('GET', `/campaigns/${id}`)).body).toEqual(created.body);

    const edited = await owner.json<any>('PATCH', `/campaigns/${id}`, { goal: null, endDate: '2026-05-15' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ goal: null, endDate: '2026-05-15', version: 2 });

    const cleared = await owner.json<any>('PATCH', `/campaigns/${id}`, { budgetAmount: null, budgetCurrency: null });
    expect(cleared.body).toMatchObject({ budgetAmount: null, budgetCurrency: null, version: 3 });

    expect((await owner.call('DELETE', `/campaigns/${id}`)).status).toBe(204);
    expect((await owner.json('GET', `/campaigns/${id}`)).status).toBe(404);

    const rows = await changesFor(owner, id);
    expect(rows.map((r) => `${r.entity}:${r.op}`)).toEqual([
      'campaign:insert',
      'campaign:update',
      'campaign:update',
      'campaign:delete',
    ]);
    expect((rows[1]!.data as any).endDate).toBe('2026-05-15');
    expect(rows.every((r) => r.actor_id === owner.userId)).toBe(true);
  });

  it('keeps names unique per client (409), but the same name under another client is fine', async () => {
    expect((await owner.json('POST', '/campaigns', body({ name: 'Summer' }))).status).toBe(201);
    const dup = await owner.json<any>('POST', '/campaigns', body({ name: 'Summer' }));
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('conflict');
    const second = (await owner.json<any>('POST', '/clients', { name: 'Second client' })).body.id;
    expect((await owner.json('POST', '/campaigns', body({ clientId: second, name: 'Summer' }))).status).toBe(201);
    const winter = await owner.json<any>('POST', '/campaigns', body({ name: 'Winter' }));
    expect((await owner.json('PATCH', `/campaigns/${winter.body.id}`, { name: 'Summer' })).status).toBe(409);
  });

  it('refuses unknown and read-only fields, naming them (400)', async () => {
    for (const extra of [{ colour: 'red' }, { id: clientId }, { version: 3 }, { organisationId: clientId }]) {
      const r = await owner.json<any>('POST', '/campaigns', body(extra));
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('validation_failed');
      expect(JSON.stringify(r.body.errors)).toContain(Object.keys(extra)[0]);
    }
    const c = await owner.json<any>('POST', '/campaigns', body());
    const r = await owner.json<any>('PATCH', `/campaigns/${c.body.id}`, { createdBy: owner.userId });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.errors)).toContain('createdBy');
  });

  it('validates dates and money, naming the field', async () => {
    const backwards = await owner.json<any>(
      'POST',
      '/campaigns',
      body({ startDate: '2026-05-02', endDate: '2026-05-01' }),
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors.map((e: any) => e.path)).toContain('endDate');
    const badDate = await owner.json<any>('POST', '/campaigns', body({ startDate: '2026-02-30' }));
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors.map((e: any) => e.path)).toContain('startDate');
    const noCurrency = await owner.json<any>('POST', '/campaigns', body({ budgetAmount: '10' }));
    expect(noCurrency.body.errors.map((e: any) => e.path)).toContain('budgetCurrency');
    const noAmount = await owner.json<any>('POST', '/campaigns', body({ budgetCurrency: 'EUR' }));
    expect(noAmount.status).toBe(400);
    expect(noAmount.body.errors.map((e: any) => e.path)).toContain('budgetAmount');
    expect(
      (await owner.json('POST', '/campaigns', body({ budgetAmount: '1.234', budgetCurrency: 'EUR' }))).status,
    ).toBe(400);
    expect((await owner.json('POST', '/campaigns', body({ budgetAmount: 10, budgetCurrency: 'EUR' }))).status).toBe(
      400,
    );
    expect((await owner.json('POST', '/campaigns', body({ budgetAmount: '10', budgetCurrency: 'eur' }))).status).toBe(
      400,
    );
    const platform = await owner.json<any>('POST', '/campaigns', body({ platform: 'myspace' }));
    expect(platform.status).toBe(400);
    expect(platform.body.errors.map((e: any) => e.path)).toContain('platform');

    // A PATCH is checked against the stored values it keeps.
    const c = await owner.json<any>('POST', '/campaigns', body({ budgetAmount: '99.90', budgetCurrency: 'GBP' }));
    const early = await owner.json<any>('PATCH', `/campaigns/${c.body.id}`, { endDate: '2026-03-01' });
    expect(early.status).toBe(400);
    expect(early.body.errors[0].path).toBe('endDate');
    const half = await owner.json<any>('PATCH', `/campaigns/${c.body.id}`, { budgetCurrency: null });
    expect(half.status).toBe(400);
    expect((await owner.json<any>('PATCH', `/campaigns/${c.body.id}`, { budgetCurrency: 'EUR' })).body).toMatchObject({
      budgetAmount: '99.90',
      budgetCurrency: 'EUR',
    });
  });

  it('answers 422 naming clientId when the client is not visible, on create and on edit', async () => {
    for (const id of [otherClientId, '00000000-0000-4000-8000-000000000000']) {
      const r = await owner.json<any>('POST', '/campaigns', body({ clientId: id }));
      expect(r.status).toBe(422);
      expect(r.body.errors).toEqual([{ path: 'clientId', message: expect.any(String) }]);
    }
    const c = await owner.json<any>('POST', '/campaigns', body());
    const r = await owner.json<any>('PATCH', `/campaigns/${c.body.id}`, { clientId: otherClientId });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('clientId');
    const second = (await owner.json<any>('POST', '/clients', { name: 'Move target' })).body.id;
    const moved = await owner.json<any>('PATCH', `/campaigns/${c.body.id}`, { clientId: second });
    expect(moved.status).toBe(200);
    expect(moved.body.clientId).toBe(second);
  });

  it('honours If-Match (412 when stale)', async () => {
    const c = await owner.json<any>('POST', '/campaigns', body());
    const ok = await owner.json<any>('PATCH', `/campaigns/${c.body.id}`, { goal: 'a' }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.res.headers.get('etag')).toBe('"2"');
    const stale = await owner.json<any>('PATCH', `/campaigns/${c.body.id}`, { goal: 'b' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');
    expect((await owner.json<any>('GET', `/campaigns/${c.body.id}`)).body.goal).toBe('a');
  });

  it("answers 404 for another organisation's campaign and client on every route", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/campaigns/${otherCampaignId}`],
      ['PATCH', `/campaigns/${otherCampaignId}`, { goal: 'mine now' }],
      ['DELETE', `/campaigns/${otherCampaignId}`],
      ['GET', `/campaigns/${otherCampaignId}/summary`],
      ['GET', `/campaigns?clientId=${otherClientId}`],
      ['GET', '/campaigns?clientId=not-a-uuid'],
      ['GET', '/campaigns/not-a-uuid'],
      ['PATCH', '/campaigns/not-a-uuid', { goal: 'x' }],
    ];
    for (const [method, path, b] of routes) {
      const r = await owner.json<any>(method, path, b);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.code).toBe('not_found');
    }
    // And nothing of theirs leaks into our list.
    const mine = await owner.json<any>('GET', '/campaigns?limit=200');
    expect(mine.body.items.some((c: any) => c.id === otherCampaignId)).toBe(false);
    expect((await other.json<any>('GET', `/campaigns/${otherCampaignId}`)).body.goal).toBeNull();
  });
});

describe('campaign roles', () => {
  it('lets owner, admin and manager create and edit; only owner and admin delete; everyone reads', async () => {
    const members: Record<string, Caller> = { owner };
    for (const role of ['admin', 'manager', 'editor', 'viewer']) members[role] = await addMember(app.url, owner, role);
    const target = await owner.json<any>('POST', '/campaigns', body());
    for (const [role, who] of Object.entries(members)) {
      const writes = ['owner', 'admin', 'manager'].includes(role);
      const create = await who.json<any>('POST', '/campaigns', body());
      expect(create.status, `${role} create`).toBe(writes ? 201 : 403);
      const edit = await who.json<any>('PATCH', `/campaigns/${target.body.id}`, { goal: role });
      expect(edit.status, `${role} edit`).toBe(writes ? 200 : 403);
      expect((await who.json('GET', `/campaigns/${target.body.id}`)).status).toBe(200);
      expect((await who.json('GET', `/campaigns/${target.body.id}/summary`)).status).toBe(200);
      if (create.status === 201) {
        const del = await who.call('DELETE', `/campaigns/${create.body.id}`);
        expect(del.status, `${role} delete`).toBe(['owner', 'admin'].includes(role) ? 204 : 403);
      } else {
        const del = await who.call('DELETE', `/campaigns/${target.body.id}`);
        expect(del.status, `${role} delete`).toBe(403);
      }
    }
    expect((await owner.json('GET', `/campaigns/${target.body.id}`)).status).toBe(200);
  });
});

describe('campaign lists', () => {
  it('filters by client and walks every page once, ordered by start date then id', async () => {
    const org = await registerOwner(app.url, 'camp-pages');
    const a = (await org.json<any>('POST', '/clients', { name: 'A' })).body.id;
    const b = (await org.json<any>('POST', '/clients', { name: 'B' })).body.id;
    const starts = ['2026-03-05', '2026-01-10', '2026-03-05', '2026-02-01', '2026-03-05', '2026-01-10', '2026-12-01'];
    const made: Array<{ id: string; startDate: string; clientId: string }> = [];
    for (const [i, startDate] of starts.entries()) {
      const cid = i % 2 ? b : a;
      const r = await org.json<any>('POST', '/campaigns', {
        clientId: cid,
        name: `C${i}`,
        platform: 'x',
        startDate,
        endDate: '2026-12-31',
      });
      expect(r.status).toBe(201);
      made.push({ id: r.body.id, startDate, clientId: cid });
    }
    const expected = [...made]
      .sort((x, y) => (x.startDate === y.startDate ? (x.id < y.id ? -1 : 1) : x.startDate < y.startDate ? -1 : 1))
      .map((c) => c.id);

    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: any = await org.json('GET', `/campaigns?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...r.body.items.map((c: any) => c.id));
        cursor = r.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      return seen;
    };
    expect(await walk('')).toEqual(expected);
    expect(await walk(`&clientId=${b}`)).toEqual(
      expected.filter((id) => made.find((m) => m.id === id)!.clientId === b),
    );
    expect((await org.json('GET', '/campaigns?limit=201')).status).toBe(400);
    expect((await org.json('GET', '/campaigns?cursor=garbage')).status).toBe(400);
    const forge = (key: unknown) => Buffer.from(JSON.stringify([key, expected[0]])).toString('base64url');
    for (const key of ['abc', '2026-02-30', '9999-99-99', '0000-01-01', 7, null]) {
      const r = await org.json<any>('GET', `/campaigns?cursor=${forge(key)}`);
      expect(r.status, String(key)).toBe(400);
    }
    expect((await org.json('GET', '/campaigns?colour=red')).status).toBe(400);
  });
});

describe('campaign summary', () => {
  it('counts posts in every status (zeros included) and sums each post latest snapshot', async () => {
    const org = await registerOwner(app.url, 'camp-summary');
    const cid = (await org.json<any>('POST', '/clients', { name: 'S' })).body.id;
    const camp = (
      await org.json<any>('POST', '/campaigns', {
        clientId: cid,
        name: 'S',
        platform: 'x',
        startDate: '2026-01-01',
        endDate: '2026-12-31',
      })
    ).body.id;
    const empty = await org.json<any>('GET', `/campaigns/${camp}/summary`);
    expect(empty.body.posts.total).toBe(0);
    expect(Object.keys(empty.body.posts.byStatus).sort()).toEqual(
      [
        'approved',
        'cancelled',
        'changes_requested',
        'client_review',
        'draft',
        'failed',
        'in_review',
        'published',
        'publishing',
        'scheduled',
      ].sort(),
    );
    expect(Object.values(empty.body.posts.byStatus).every((n) => n === 0)).toBe(true);
    expect(empty.body.metrics).toMatchObject({ likes: 0, shares: 0, comments: 0, impressions: 0 });

    const ids: string[] = [];
    for (const content of ['one', 'two', 'three']) {
      ids.push((await org.json<any>('POST', '/posts', { campaignId: camp, content })).body.id);
    }
    await org.json('POST', `/posts/${ids[1]}/status`, { status: 'cancelled' });
    const snap = (post: string, at: string, n: number) => ({
      organisation_id: org.organisationId,
      scheduled_post_id: post,
      captured_at: new Date(at),
      likes: n,
      shares: n * 2,
      comments: n * 3,
      impressions: n * 100,
    });
    await withTenant(app.database.db, org.organisationId, (tx) =>
      tx
        .insertInto('post_metrics')
        .values([
          snap(ids[0]!, '2026-02-01T00:00:00Z', 1),
          snap(ids[0]!, '2026-02-03T00:00:00Z', 7),
          snap(ids[0]!, '2026-02-02T00:00:00Z', 4),
          snap(ids[1]!, '2026-02-01T00:00:00Z', 2),
        ])
        .execute(),
    );
    const s = await org.json<any>('GET', `/campaigns/${camp}/summary`);
    expect(s.body.campaignId).toBe(camp);
    expect(s.body.posts.total).toBe(3);
    expect(s.body.posts.byStatus).toMatchObject({ draft: 2, cancelled: 1, scheduled: 0, published: 0 });
    expect(s.body.metrics).toEqual({ likes: 9, shares: 18, comments: 27, impressions: 900, postsWithMetrics: 2 });
  });
});
