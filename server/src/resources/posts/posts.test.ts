import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { feedRows } from '../../../test/feed.ts';
import { uploadAsset } from '../../../test/world.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import { saveCollabContent } from './service.ts';

let app: TestApp;
let owner: Caller;
let editor: Caller;
let campaignId: string;
const future = (days = 3) => new Date(Date.now() + days * 86_400_000).toISOString();

beforeAll(async () => {
  app = await startTestApp();
  owner = await registerOwner(app.url, 'posts');
  editor = await addMember(app.url, owner, 'editor');
  const client = await owner.json<any>('POST', '/clients', { name: 'Client' });
  const campaign = await owner.json<any>('POST', '/campaigns', {
    clientId: client.body.id,
    name: 'Spring',
    platform: 'x',
    startDate: '2026-03-01',
    endDate: '2026-05-31',
    budgetAmount: '1500.00',
    budgetCurrency: 'EUR',
  });
  expect(campaign.status).toBe(201);
  campaignId = campaign.body.id;
}, 180_000); // an embedded database boots slowly on a loaded two-core machine
afterAll(() => app?.close());

async function post(content = 'Hello', extra: Record<string, unknown> = {}) {
  const res = await owner.json<any>('POST', '/posts', { campaignId, content, scheduledAt: future(), ...extra });
  expect(res.status).toBe(201);
  return res.body;
}
const move = (who: Caller, id: string, status: string, reason?: string) =>
  who.json<any>('POST', `/posts/${id}/status`, { status, reason });

// The status machine as docs/api-rules.md writes it (team approval policy), independent of
// the move table in @chorus/domain.
const ALLOWED: Array<[string, string]> = [
  ['draft', 'in_review'],
  ['in_review', 'approved'],
  ['in_review', 'changes_requested'],
  ['changes_requested', 'in_review'],
  ['approved', 'scheduled'],
  ['failed', 'scheduled'],
  ['cancelled', 'draft'],
  ['in_review', 'draft'],
  ['approved', 'draft'],
  ['scheduled', 'draft'],
  ...(['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'failed'] as const).map(
    (s) => [s, 'cancelled'] as [string, string],
  ),
];
const ALL = [
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'scheduled',
  'publishing',
  'published',
  'failed',
  'cancelled',
];

/** Puts a fresh post into `status`, through the API where users can, else directly (system moves). */
async function postIn(status: string): Promise<string> {
  const p = await post();
  const via: Record<string, string[]> = {
    draft: [],
    in_review: ['in_review'],
    changes_requested: ['in_review', 'changes_requested'],
    approved: ['in_review', 'approved'],
    scheduled: ['in_review', 'approved', 'scheduled'],
    cancelled: ['cancelled'],
  };
  if (via[status]) {
    for (const s of via[status]) expect((await move(owner, p.id, s)).status).toBe(200);
  } else {
    await withSystem(app.database.db, (tx) =>
      tx
        .updateTable('scheduled_posts')
        .set({ status, published_at: status === 'published' ? new Date() : null })
        .where('id', '=', p.id)
        .execute(),
    );
  }
  return p.id;
}

describe('campaigns', () => {
  it('answers the contract shape with money as a decimal string', async () => {
    const c = await owner.json<any>('GET', `/campaigns/${campaignId}`);
    expect(c.body).toMatchObject({
      name: 'Spring',
      platform: 'x',
      startDate: '2026-03-01',
      endDate: '2026-05-31',
      budgetAmount: '1500.00',
      budgetCurrency: 'EUR',
    });
  });

  it('refuses an end date before the start, a budget without currency, and an unknown platform', async () => {
    const base = {
      clientId: (await owner.json<any>('GET', `/campaigns/${campaignId}`)).body.clientId,
      name: 'Bad',
      platform: 'x',
    };
    const r1 = await owner.json<any>('POST', '/campaigns', { ...base, startDate: '2026-05-01', endDate: '2026-04-01' });
    expect(r1.status).toBe(400);
    expect(r1.body.errors[0].path).toBe('endDate');
    expect(
      (
        await owner.json('POST', '/campaigns', {
          ...base,
          startDate: '2026-05-01',
          endDate: '2026-06-01',
          budgetAmount: '10',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await owner.json('POST', '/campaigns', {
          ...base,
          startDate: '2026-05-01',
          endDate: '2026-06-01',
          budgetAmount: '-10',
          budgetCurrency: 'EUR',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await owner.json('POST', '/campaigns', {
          ...base,
          platform: 'myspace',
          startDate: '2026-05-01',
          endDate: '2026-06-01',
        })
      ).status,
    ).toBe(400);
  });

  it('keeps names unique per client (409)', async () => {
    const clientId = (await owner.json<any>('GET', `/campaigns/${campaignId}`)).body.clientId;
    expect(
      (
        await owner.json('POST', '/campaigns', {
          clientId,
          name: 'SPRING',
          platform: 'x',
          startDate: '2026-01-01',
          endDate: '2026-01-02',
        })
      ).status,
    ).toBe(409);
  });

  it('filters by client and 404s an unknown client filter', async () => {
    const clientId = (await owner.json<any>('GET', `/campaigns/${campaignId}`)).body.clientId;
    const list = await owner.json<any>('GET', `/campaigns?clientId=${clientId}`);
    expect(list.body.items.map((c: any) => c.id)).toContain(campaignId);
    expect((await owner.json('GET', '/campaigns?clientId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('posts', () => {
  it('starts as draft with the campaign platform, and read-only fields are refused', async () => {
    const p = await post();
    expect(p).toMatchObject({
      status: 'draft',
      platform: 'x',
      assetIds: [],
      version: 1,
      publishedAt: null,
      externalId: null,
    });
    expect((await owner.json('POST', '/posts', { campaignId, content: 'x', status: 'approved' })).status).toBe(400);
  });

  it.each(ALL.flatMap((from) => ALL.map((to) => [from, to] as const)).filter(([from]) => from !== 'publishing'))(
    '%s → %s follows the contract',
    async (from, to) => {
      const id = await postIn(from);
      const res = await move(owner, id, to);
      const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
      if (allowed) {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.status).toBe(to);
      } else {
        expect(res.status, JSON.stringify(res.body)).toBe(409);
        expect(res.body.code).toBe('invalid_transition');
      }
    },
  );

  it('lets editors submit and withdraw but not approve, schedule or cancel', async () => {
    const id = (await post()).id;
    expect((await move(editor, id, 'in_review')).status).toBe(200);
    expect((await move(editor, id, 'approved')).status).toBe(403);
    expect((await move(editor, id, 'changes_requested')).status).toBe(403);
    expect((await move(editor, id, 'cancelled')).status).toBe(403);
    expect((await move(editor, id, 'draft')).status).toBe(200);
  });

  it('checks platform rules on submit and on schedule, naming the rule (422)', async () => {
    const long = await post('a'.repeat(281));
    const r = await move(owner, long.id, 'in_review');
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain('280');
    // Instagram needs an image or video: attaching one makes the same post pass.
    const insta = await post('Look!', { platform: 'instagram' });
    const refused = await move(owner, insta.id, 'in_review');
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/image or video/);
    expect((await uploadAsset(app.url, owner, { postId: insta.id })).status).toBe(201);
    expect((await move(owner, insta.id, 'in_review')).status).toBe(200);
  });

  it('refuses to schedule without a future scheduledAt (422)', async () => {
    const p = await post('Soon', { scheduledAt: null });
    await move(owner, p.id, 'in_review');
    await move(owner, p.id, 'approved');
    expect((await move(owner, p.id, 'scheduled')).status).toBe(422);
    await owner.json('PATCH', `/posts/${p.id}`, { scheduledAt: new Date(Date.now() - 60_000).toISOString() });
    expect((await move(owner, p.id, 'scheduled')).status).toBe(422);
  });

  it('sends an approved or scheduled post back to review when its content changes', async () => {
    for (const status of ['approved', 'scheduled']) {
      const id = await postIn(status);
      const same = await owner.json<any>('PATCH', `/posts/${id}`, { scheduledAt: future(5) });
      expect(same.body.status).toBe(status);
      const edited = await owner.json<any>('PATCH', `/posts/${id}`, { content: 'Changed' });
      expect(edited.body.status).toBe('in_review');
    }
  });

  it('keeps the reason for requested changes', async () => {
    const id = await postIn('in_review');
    const r = await move(owner, id, 'changes_requested', 'Softer tone please');
    expect(r.body.statusReason).toBe('Softer tone please');
  });

  it('filters by status and time window and pages through every post once', async () => {
    const org = await registerOwner(app.url, 'paging');
    const client = await org.json<any>('POST', '/clients', { name: 'C' });
    const camp = await org.json<any>('POST', '/campaigns', {
      clientId: client.body.id,
      name: 'K',
      platform: 'x',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    const times = [
      '2026-06-01T10:00:00Z',
      '2026-06-02T10:00:00Z',
      '2026-06-03T10:00:00Z',
      null,
      '2026-06-04T10:00:00Z',
    ];
    for (const t of times)
      await org.json('POST', '/posts', { campaignId: camp.body.id, content: String(t), scheduledAt: t });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await org.json(
        'GET',
        `/posts?campaignId=${camp.body.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...r.body.items.map((p: any) => p.content));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([
      '2026-06-01T10:00:00Z',
      '2026-06-02T10:00:00Z',
      '2026-06-03T10:00:00Z',
      '2026-06-04T10:00:00Z',
      'null',
    ]);
    const window = await org.json<any>('GET', '/posts?from=2026-06-02T00:00:00Z&to=2026-06-04T00:00:00Z');
    expect(window.body.items.map((p: any) => p.content)).toEqual(['2026-06-02T10:00:00Z', '2026-06-03T10:00:00Z']);
    expect((await org.json<any>('GET', '/posts?status=approved')).body.items).toEqual([]);
    expect((await org.json('GET', '/posts?status=bogus')).status).toBe(400);
  });

  it('summarises a campaign: counts by status and the sum of each post latest metrics', async () => {
    const org = await registerOwner(app.url, 'summary');
    const client = await org.json<any>('POST', '/clients', { name: 'C' });
    const camp = await org.json<any>('POST', '/campaigns', {
      clientId: client.body.id,
      name: 'K',
      platform: 'x',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    const a = await org.json<any>('POST', '/posts', { campaignId: camp.body.id, content: 'a' });
    const b = await org.json<any>('POST', '/posts', { campaignId: camp.body.id, content: 'b' });
    await org.json('POST', `/posts/${b.body.id}/status`, { status: 'in_review' });
    await withTenant(app.database.db, org.organisationId, (tx) =>
      tx
        .insertInto('post_metrics')
        .values([
          {
            organisation_id: org.organisationId,
            scheduled_post_id: a.body.id,
            captured_at: new Date('2026-06-01T00:00:00Z'),
            likes: 1,
            shares: 1,
            comments: 1,
            impressions: 10,
          },
          {
            organisation_id: org.organisationId,
            scheduled_post_id: a.body.id,
            captured_at: new Date('2026-06-02T00:00:00Z'),
            likes: 5,
            shares: 2,
            comments: 1,
            impressions: 50,
          },
          {
            organisation_id: org.organisationId,
            scheduled_post_id: b.body.id,
            captured_at: new Date('2026-06-01T00:00:00Z'),
            likes: 3,
            shares: 0,
            comments: 0,
            impressions: 30,
          },
        ])
        .execute(),
    );
    const s = await org.json<any>('GET', `/campaigns/${camp.body.id}/summary`);
    expect(s.body.posts.total).toBe(2);
    expect(s.body.posts.byStatus).toMatchObject({ draft: 1, in_review: 1, published: 0 });
    expect(s.body.metrics).toEqual({ likes: 8, shares: 2, comments: 1, impressions: 80, postsWithMetrics: 2 });
  });

  it('records every write in the change feed', async () => {
    const p = await post();
    await move(owner, p.id, 'in_review');
    await owner.call('DELETE', `/posts/${p.id}`);
    const rows = await feedRows(app.database.db, owner.organisationId, p.id);
    expect(rows.map((r) => r.op)).toEqual(['insert', 'update', 'delete']);
    expect((rows[1]!.data as any).status).toBe('in_review');
  });
});

// docs/roles.md: approve, request changes, schedule and cancel are manager-and-above;
// submit, withdraw to draft and resubmit are editor-and-above; viewers change nothing.
const MANAGER_MOVES = new Set(['approved', 'changes_requested', 'scheduled', 'cancelled']);
const MAY: Record<string, (to: string) => boolean> = {
  owner: () => true,
  admin: () => true,
  manager: () => true,
  editor: (to) => !MANAGER_MOVES.has(to),
  viewer: () => false,
};

describe('post roles', () => {
  const members: Record<string, Caller> = {};
  beforeAll(async () => {
    members.owner = owner;
    for (const role of ['admin', 'manager', 'viewer']) members[role] = await addMember(app.url, owner, role);
    members.editor = editor;
  });

  it.each(['owner', 'admin', 'manager', 'editor', 'viewer'])(
    '%s may make exactly the moves its role allows',
    async (role) => {
      const who = members[role]!;
      for (const [from, to] of ALLOWED) {
        const id = await postIn(from);
        const res = await move(who, id, to);
        expect(res.status, `${role}: ${from} → ${to} ${JSON.stringify(res.body)}`).toBe(MAY[role]!(to) ? 200 : 403);
        const now = (await owner.json<any>('GET', `/posts/${id}`)).body.status;
        expect(now).toBe(MAY[role]!(to) ? to : from);
      }
    },
    180_000, // sixteen moves, each on a fresh post walked into its start status
  );

  it('lets editors and above create, edit and delete posts; viewers read only', async () => {
    for (const [role, who] of Object.entries(members)) {
      const writes = role !== 'viewer';
      const created = await who.json<any>('POST', '/posts', { campaignId, content: role });
      expect(created.status, `${role} create`).toBe(writes ? 201 : 403);
      const id = writes ? created.body.id : (await post()).id;
      expect((await who.json('GET', `/posts/${id}`)).status).toBe(200);
      expect((await who.json('PATCH', `/posts/${id}`, { content: 'edited' })).status, `${role} edit`).toBe(
        writes ? 200 : 403,
      );
      expect((await who.call('DELETE', `/posts/${id}`)).status, `${role} delete`).toBe(writes ? 204 : 403);
    }
  });
});

describe('post edits, visibility and the change feed', () => {
  let other: Caller;
  let otherCampaign: string;
  let otherPost: string;
  let otherAsset: string;
  beforeAll(async () => {
    other = await registerOwner(app.url, 'posts-other');
    const client = await other.json<any>('POST', '/clients', { name: 'Theirs' });
    otherCampaign = (
      await other.json<any>('POST', '/campaigns', {
        clientId: client.body.id,
        name: 'Theirs',
        platform: 'x',
        startDate: '2026-01-01',
        endDate: '2026-12-31',
      })
    ).body.id;
    otherPost = (await other.json<any>('POST', '/posts', { campaignId: otherCampaign, content: 'secret' })).body.id;
    otherAsset = (await uploadAsset(app.url, other, { campaignId: otherCampaign })).body.id;
  });

  it("answers 404 for another organisation's post or campaign on every route", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/posts/${otherPost}`],
      ['PATCH', `/posts/${otherPost}`, { content: 'mine' }],
      ['DELETE', `/posts/${otherPost}`],
      ['POST', `/posts/${otherPost}/status`, { status: 'in_review' }],
      ['POST', `/posts/${otherPost}/status`, { status: 'published' }],
      ['GET', `/posts?campaignId=${otherCampaign}`],
      ['GET', '/posts?campaignId=nope'],
      ['GET', '/posts/nope'],
      ['POST', '/posts/nope/status', { status: 'in_review' }],
    ];
    for (const who of [owner, editor]) {
      for (const [method, path, b] of routes) {
        const r = await who.json<any>(method, path, b);
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.body.code).toBe('not_found');
      }
    }
    const theirs = await other.json<any>('GET', `/posts/${otherPost}`);
    expect(theirs.body).toMatchObject({ content: 'secret', status: 'draft', version: 1 });
  });

  it('answers 422 naming the field for body ids the caller cannot see', async () => {
    const r1 = await owner.json<any>('POST', '/posts', { campaignId: otherCampaign, content: 'x' });
    expect(r1.status).toBe(422);
    expect(r1.body.errors).toEqual([{ path: 'campaignId', message: expect.any(String) }]);
    const r2 = await owner.json<any>('POST', '/posts', { campaignId, content: 'x', assetIds: [otherAsset] });
    expect(r2.status).toBe(422);
    expect(r2.body.errors[0].path).toMatch(/^assetIds/);
    const mine = await post();
    const r3 = await owner.json<any>('PATCH', `/posts/${mine.id}`, { assetIds: [otherAsset] });
    expect(r3.status).toBe(422);
    expect(r3.body.errors[0].path).toMatch(/^assetIds/);
    const r4 = await owner.json<any>('PATCH', `/posts/${mine.id}`, { campaignId: otherCampaign });
    expect(r4.status).toBe(422);
    expect(r4.body.errors[0].path).toBe('campaignId');
    // Nothing moved: their asset still sits in their campaign.
    const asset = await other.json<any>('GET', `/assets/${otherAsset}`);
    expect(asset.body).toMatchObject({ campaignId: otherCampaign, postId: null });
  });

  it('refuses unknown and read-only fields, naming them (400)', async () => {
    for (const extra of [{ colour: 1 }, { status: 'draft' }, { version: 2 }, { externalId: 'x' }]) {
      const r = await owner.json<any>('POST', '/posts', { campaignId, content: 'x', ...extra });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.errors)).toContain(Object.keys(extra)[0]);
    }
    const p = await post();
    const r = await owner.json<any>('PATCH', `/posts/${p.id}`, { status: 'approved' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.errors)).toContain('status');
    const s = await move(owner, p.id, 'bogus');
    expect(s.status).toBe(400);
  });

  it('honours If-Match on PATCH and on status moves (412 when stale)', async () => {
    const p = await post();
    const ok = await owner.json<any>('PATCH', `/posts/${p.id}`, { content: 'v2' }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
    const stale = await owner.json<any>('PATCH', `/posts/${p.id}`, { content: 'v3' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const staleMove = await owner.json<any>(
      'POST',
      `/posts/${p.id}/status`,
      { status: 'in_review' },
      { 'if-match': '"1"' },
    );
    expect(staleMove.status).toBe(412);
    const fresh = await owner.json<any>(
      'POST',
      `/posts/${p.id}/status`,
      { status: 'in_review' },
      { 'if-match': '"2"' },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ content: 'v2', status: 'in_review', version: 3 });
  });

  it('links assets to the post, and a media or platform change sends an approved post back to review', async () => {
    const p = await post();
    const a1 = (await uploadAsset(app.url, owner, { campaignId })).body.id;
    const a2 = (await uploadAsset(app.url, owner, { campaignId })).body.id;
    const linked = await owner.json<any>('PATCH', `/posts/${p.id}`, { assetIds: [a2, a1] });
    // In the order given (a carousel's order); the files stay where they were uploaded.
    expect(linked.body.assetIds).toEqual([a2, a1]);
    expect((await owner.json<any>('GET', `/assets/${a1}`)).body).toMatchObject({
      postId: null,
      campaignId,
      usageCount: 1,
    });
    await move(owner, p.id, 'in_review');
    expect((await move(owner, p.id, 'approved')).status).toBe(200);
    const fewer = await owner.json<any>('PATCH', `/posts/${p.id}`, { assetIds: [a2] });
    expect(fewer.body).toMatchObject({ status: 'in_review', assetIds: [a2] });
    expect((await owner.json<any>('GET', `/assets/${a1}`)).body).toMatchObject({
      postId: null,
      campaignId,
      usageCount: 0,
    });
    await move(owner, p.id, 'approved');
    const same = await owner.json<any>('PATCH', `/posts/${p.id}`, { assetIds: [a2], content: 'Hello' });
    expect(same.body.status).toBe('approved');
    const platform = await owner.json<any>('PATCH', `/posts/${p.id}`, { platform: 'bluesky' });
    expect(platform.body).toMatchObject({ status: 'in_review', platform: 'bluesky' });
    const created = await owner.json<any>('POST', '/posts', { campaignId, content: 'with media', assetIds: [a1] });
    expect(created.body.assetIds).toEqual([a1]);
  });

  it('keeps a scheduled post in the future and refuses edits to published posts', async () => {
    const id = await postIn('scheduled');
    const past = await owner.json<any>('PATCH', `/posts/${id}`, {
      scheduledAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past.status).toBe(422);
    expect(past.body.errors[0].path).toBe('scheduledAt');
    expect((await owner.json<any>('PATCH', `/posts/${id}`, { scheduledAt: null })).status).toBe(422);
    const later = await owner.json<any>('PATCH', `/posts/${id}`, { scheduledAt: future(9) });
    expect(later.body.status).toBe('scheduled');
    const published = await postIn('published');
    expect((await owner.json<any>('PATCH', `/posts/${published}`, { content: 'too late' })).status).toBe(409);
  });

  it('moves a failed post back to scheduled and clears its failure reason', async () => {
    const id = await postIn('failed');
    await withSystem(app.database.db, (tx) =>
      tx.updateTable('scheduled_posts').set({ failure_reason: 'token expired' }).where('id', '=', id).execute(),
    );
    expect((await owner.json<any>('GET', `/posts/${id}`)).body.failureReason).toBe('token expired');
    const r = await move(owner, id, 'scheduled');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'scheduled', failureReason: null });
  });

  it('names from and to in an invalid transition, and the rule in a 422', async () => {
    const id = await postIn('draft');
    const r = await move(owner, id, 'approved');
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('invalid_transition');
    expect(r.body.detail).toContain('draft');
    expect(r.body.detail).toContain('approved');
    const sys = await move(owner, await postIn('scheduled'), 'publishing');
    expect(sys.body.code).toBe('invalid_transition');
    // A post valid when submitted but too long for x by the time it is scheduled.
    const p = await post('fine');
    await move(owner, p.id, 'in_review');
    await move(owner, p.id, 'approved');
    await withTenant(app.database.db, owner.organisationId, (tx) =>
      tx
        .updateTable('scheduled_posts')
        .set({ content: '😀'.repeat(301) })
        .where('id', '=', p.id)
        .execute(),
    );
    const s = await move(owner, p.id, 'scheduled');
    expect(s.status).toBe(422);
    expect(s.body.code).toBe('unprocessable');
    expect(s.body.detail).toContain('280');
    expect(s.body.detail).toContain('301');
    expect(s.body.errors[0].path).toBe('content');
    // tiktok needs a video: an image is not enough.
    const tt = await post('dance', { platform: 'tiktok' });
    await uploadAsset(app.url, owner, { postId: tt.id });
    const t = await move(owner, tt.id, 'in_review');
    expect(t.status).toBe(422);
    expect(t.body.detail).toMatch(/video/);
  });

  it('keeps the cancel reason and clears it when the post moves on', async () => {
    const id = await postIn('approved');
    const c = await move(owner, id, 'cancelled', 'Client pulled the campaign');
    expect(c.body).toMatchObject({ status: 'cancelled', statusReason: 'Client pulled the campaign' });
    const d = await move(editor, id, 'draft');
    expect(d.body).toMatchObject({ status: 'draft', statusReason: null });
  });

  it('saveCollabContent saves text with the PATCH rules and records the change', async () => {
    const id = await postIn('scheduled');
    const before = (await owner.json<any>('GET', `/posts/${id}`)).body;
    const save = (content: string) =>
      withTenant(app.database.db, owner.organisationId, (tx) =>
        saveCollabContent(tx, { postId: id, organisationId: owner.organisationId, content, actorId: editor.userId }),
      );
    const same = await save(before.content);
    expect(same).toMatchObject({ status: 'scheduled', version: before.version });
    const saved = await save('Typed together');
    expect(saved).toMatchObject({ content: 'Typed together', status: 'in_review', version: before.version + 1 });
    expect(saved!.updatedBy).toBe(editor.userId);
    expect((await owner.json<any>('GET', `/posts/${id}`)).body).toMatchObject({
      content: 'Typed together',
      status: 'in_review',
    });
    const rows = await feedRows(app.database.db, owner.organisationId, id);
    expect(rows.at(-1)).toMatchObject({ op: 'update', actor_id: editor.userId });
    expect((rows.at(-1)!.data as any).content).toBe('Typed together');
    expect(rows.length).toBe(5); // insert, three moves, the save (the no-op recorded nothing)
    const gone = await withTenant(app.database.db, owner.organisationId, (tx) =>
      saveCollabContent(tx, {
        postId: otherPost,
        organisationId: owner.organisationId,
        content: 'x',
        actorId: owner.userId,
      }),
    );
    expect(gone).toBeUndefined();
  });

  it('records every status move with its actor', async () => {
    const p = await post();
    await move(editor, p.id, 'in_review');
    await move(owner, p.id, 'changes_requested', 'Shorter');
    await move(editor, p.id, 'in_review');
    const rows = await feedRows(app.database.db, owner.organisationId, p.id);
    expect(rows.map((r) => [r.op, (r.data as any)?.status, r.actor_id])).toEqual([
      ['insert', 'draft', owner.userId],
      ['update', 'in_review', editor.userId],
      ['update', 'changes_requested', owner.userId],
      ['update', 'in_review', editor.userId],
    ]);
  });
});

describe('post list cursors', () => {
  it('pages without repeats when posts differ only in microseconds, and refuses forged cursors (400)', async () => {
    const org = await registerOwner(app.url, 'micro');
    const client = await org.json<any>('POST', '/clients', { name: 'C' });
    const camp = await org.json<any>('POST', '/campaigns', {
      clientId: client.body.id,
      name: 'K',
      platform: 'x',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push((await org.json<any>('POST', '/posts', { campaignId: camp.body.id, content: `p${i}` })).body.id);
    // Same millisecond, different microseconds: what a JS Date cannot tell apart.
    await withTenant(app.database.db, org.organisationId, async (tx) => {
      for (const [i, id] of ids.entries()) {
        await tx
          .updateTable('scheduled_posts')
          .set({ scheduled_at: sql`'2026-07-01T12:00:00.123000Z'::timestamptz + ${`${5 - i} microseconds`}::interval` })
          .where('id', '=', id)
          .execute();
      }
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await org.json('GET', `/posts?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.items.map((p: any) => p.content));
      cursor = r.body.nextCursor;
    } while (cursor && seen.length < 20);
    expect(seen).toEqual(['p5', 'p4', 'p3', 'p2', 'p1', 'p0']);

    const forge = (key: unknown) => Buffer.from(JSON.stringify([key, ids[0]])).toString('base64url');
    for (const key of ['1', 'yesterday', '2026-13-01T00:00:00Z', '0000-01-01T00:00:00Z', 42, null]) {
      const r = await org.json<any>('GET', `/posts?cursor=${forge(key)}`);
      expect(r.status, String(key)).toBe(400);
      expect(r.body.code).toBe('validation_failed');
    }
  });
});
