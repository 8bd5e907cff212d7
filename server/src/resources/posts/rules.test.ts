import { randomUUID } from 'node:crypto';
import {
  APPROVAL_POLICIES,
  type ApprovalPolicy,
  movesFor,
  POST_STATUSES,
  type PostStatus,
  ROLES,
  type Role,
} from '@chorus/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { createSession } from '../../auth/sessions.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import type { PostRow } from './dto.ts';
import { moveBySystem } from './writer.ts';

// The move table as the web offers it (movesFor, from @chorus/domain) against the real API:
// every role × status × approval policy × target status.

let app: TestApp;
let owner: Caller;
const members = {} as Record<Role, Caller>;
const campaignOf = {} as Record<ApprovalPolicy, string>;
const future = (days = 3) => new Date(Date.now() + days * 86_400_000).toISOString();

/** A client member, inserted as the invitation flow for client members would leave one. */
async function clientMember(): Promise<Caller> {
  const id = randomUUID();
  const email = `client-${id.slice(0, 8)}@example.com`;
  await withTenant(app.database.db, owner.organisationId, async (tx) => {
    const role = await tx
      .selectFrom('reference_data')
      .select('id')
      .where('category', '=', 'user_role')
      .where('code', '=', 'client')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('users')
      .values({
        id,
        organisation_id: owner.organisationId,
        email,
        name: 'Client Carla',
        password_hash: 'x',
        role_id: role.id,
      })
      .execute();
  });
  const s = await createSession(app.database.db, { id, organisationId: owner.organisationId }, 30);
  return caller(app.url, s.token, { userId: id, organisationId: owner.organisationId, email });
}

beforeAll(async () => {
  app = await startTestApp();
  owner = await registerOwner(app.url, 'rules');
  members.owner = owner;
  for (const role of ['admin', 'manager', 'editor', 'viewer'] as const)
    members[role] = await addMember(app.url, owner, role);
  members.client = await clientMember();
  const clientIds: string[] = [];
  for (const policy of APPROVAL_POLICIES) {
    const client = await owner.json<any>('POST', '/clients', { name: `Client ${policy}`, approvalPolicy: policy });
    expect(client.status).toBe(201);
    clientIds.push(client.body.id);
    expect(client.body.approvalPolicy).toBe(policy);
    const campaign = await owner.json<any>('POST', '/campaigns', {
      clientId: client.body.id,
      name: 'Spring',
      platform: 'mastodon',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    });
    campaignOf[policy] = campaign.body.id;
  }
  // The client member sees both clients (what its invitation would have named).
  const given = await owner.json('PATCH', `/users/${members.client.userId}`, { clientIds });
  expect(given.status).toBe(200);
}, 180_000);
afterAll(() => app?.close());

/** Fresh posts put straight into their statuses (the publisher's ones included), one per case. */
async function postsIn(cases: { policy: ApprovalPolicy; status: PostStatus }[]): Promise<string[]> {
  return withTenant(app.database.db, owner.organisationId, async (tx) => {
    const platform = await tx
      .selectFrom('reference_data')
      .select('id')
      .where('category', '=', 'platform')
      .where('code', '=', 'mastodon')
      .executeTakeFirstOrThrow();
    const rows = await tx
      .insertInto('scheduled_posts')
      .values(
        cases.map((c) => ({
          organisation_id: owner.organisationId,
          campaign_id: campaignOf[c.policy],
          platform_id: platform.id,
          content: 'Hello',
          status: c.status,
          scheduled_at: new Date(future()),
          published_at: c.status === 'published' ? new Date() : null,
        })),
      )
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  });
}

describe('the move table', () => {
  it('the moves the web offers are exactly the moves the server accepts, for every role, status and policy', async () => {
    const cases = ROLES.flatMap((role) =>
      APPROVAL_POLICIES.flatMap((policy) =>
        POST_STATUSES.flatMap((status) => POST_STATUSES.map((to) => ({ role, policy, status, to }))),
      ),
    );
    const ids = await postsIn(cases);
    const mismatches: string[] = [];
    for (let i = 0; i < cases.length; i += 25) {
      await Promise.all(
        cases.slice(i, i + 25).map(async (c, j) => {
          const id = ids[i + j]!;
          const offered = movesFor(c.status, c.role, c.policy).some((m) => m.to === c.to);
          const res = await members[c.role].json<any>('POST', `/posts/${id}/status`, { status: c.to });
          const accepted = res.status === 200;
          if (offered !== accepted || (!accepted && ![403, 409].includes(res.status)))
            mismatches.push(`${c.role} ${c.policy} ${c.status} → ${c.to}: offered ${offered}, answered ${res.status}`);
        }),
      );
    }
    expect(mismatches).toEqual([]);
    // Nothing refused changed: every post is in its start status or the accepted target.
    const rows = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('scheduled_posts').select(['id', 'status']).where('id', 'in', ids).execute(),
    );
    const byId = new Map(rows.map((r) => [r.id, r.status]));
    for (const [i, c] of cases.entries()) {
      const offered = movesFor(c.status, c.role, c.policy).some((m) => m.to === c.to);
      expect(byId.get(ids[i]!)).toBe(offered ? c.to : c.status);
    }
  }, 300_000);

  it('walks a team_and_client post through the client’s approval', async () => {
    const p = await owner.json<any>('POST', '/posts', { campaignId: campaignOf.team_and_client, content: 'For Carla' });
    const move = (who: Caller, status: string) => who.json<any>('POST', `/posts/${p.body.id}/status`, { status });
    expect((await move(members.editor, 'in_review')).status).toBe(200);
    expect((await move(members.manager, 'approved')).status).toBe(409);
    expect((await move(members.manager, 'client_review')).body.status).toBe('client_review');
    expect((await move(members.owner, 'approved')).status).toBe(403);
    // An edit in client review sends the post back to the team.
    const edited = await members.editor.json<any>('PATCH', `/posts/${p.body.id}`, { content: 'For Carla, v2' });
    expect(edited.body.status).toBe('in_review');
    expect((await move(members.manager, 'client_review')).status).toBe(200);
    expect((await move(members.client, 'approved')).body.status).toBe('approved');
  });

  it('enforces the publisher’s moves too: it cannot publish a draft, and members cannot make its moves', async () => {
    const [draft, scheduled] = await postsIn([
      { policy: 'team', status: 'draft' },
      { policy: 'team', status: 'scheduled' },
    ]);
    let applied = false;
    const attempt = withSystem(app.database.db, async (tx) => {
      const rows = await tx.selectFrom('scheduled_posts').selectAll().where('id', '=', draft!).forUpdate().execute();
      return moveBySystem(tx, rows as PostRow[], 'published', async () => {
        applied = true;
        return [];
      });
    });
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_transition' });
    await expect(attempt).rejects.toBeInstanceOf(Problem);
    expect(applied).toBe(false);
    // Nor may it make a member's move.
    const cancel = withSystem(app.database.db, async (tx) => {
      const rows = await tx
        .selectFrom('scheduled_posts')
        .selectAll()
        .where('id', '=', scheduled!)
        .forUpdate()
        .execute();
      return moveBySystem(tx, rows as PostRow[], 'cancelled', async () => []);
    });
    await expect(cancel).rejects.toMatchObject({ code: 'invalid_transition' });
    const res = await owner.json<any>('POST', `/posts/${scheduled}/status`, { status: 'publishing' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invalid_transition');
    const rows = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('scheduled_posts').select('status').where('id', 'in', [draft!, scheduled!]).execute(),
    );
    expect(rows.map((r) => r.status).sort()).toEqual(['draft', 'scheduled']);
  });
});

describe('frozen content', () => {
  it.each(['publishing', 'published', 'cancelled'] as const)(
    'refuses content changes of a %s post with 409 conflict, over PATCH and restore',
    async (status) => {
      const [id] = await postsIn([{ policy: 'team', status }]);
      const version = await withTenant(app.database.db, owner.organisationId, (tx) =>
        tx
          .insertInto('post_versions')
          .values({ organisation_id: owner.organisationId, scheduled_post_id: id!, content: 'Old', status: 'draft' })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      for (const body of [{ content: 'Changed' }, { platform: 'x' }]) {
        const res = await owner.json<any>('PATCH', `/posts/${id}`, body);
        expect(res.status, JSON.stringify(body)).toBe(409);
        expect(res.body.code).toBe('conflict');
      }
      const restore = await owner.json<any>('POST', `/posts/${id}/versions/${version.id}/restore`);
      expect(restore.status).toBe(409);
      const now = await owner.json<any>('GET', `/posts/${id}`);
      expect(now.body).toMatchObject({ content: 'Hello', platform: 'mastodon', status });
      if (status === 'cancelled') {
        // Re-timing a cancelled post is no content change.
        expect((await owner.json<any>('PATCH', `/posts/${id}`, { scheduledAt: future(5) })).status).toBe(200);
      }
    },
  );
});

describe('versions', () => {
  it('records one version per status change, newest first, and restores one as an ordinary edit', async () => {
    const p = await owner.json<any>('POST', '/posts', { campaignId: campaignOf.team, content: 'First' });
    const id = p.body.id;
    const move = (status: string, reason?: string) =>
      owner.json<any>('POST', `/posts/${id}/status`, { status, reason });
    await move('in_review');
    await move('changes_requested', 'Shorter, please');
    expect((await members.editor.json<any>('PATCH', `/posts/${id}`, { content: 'Second' })).status).toBe(200);
    await move('in_review');
    await move('approved');
    const list = await members.viewer.json<any>('GET', `/posts/${id}/versions`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((v: any) => [v.status, v.content, v.reason])).toEqual([
      ['approved', 'Second', null],
      ['in_review', 'Second', null],
      ['changes_requested', 'First', 'Shorter, please'],
      ['in_review', 'First', null],
      ['draft', 'First', null],
    ]);
    expect(list.body.items[0]).toMatchObject({ createdBy: owner.userId, id: expect.any(String) });
    const first = list.body.items.at(-1).id;

    expect((await members.viewer.json<any>('POST', `/posts/${id}/versions/${first}/restore`)).status).toBe(403);
    const restored = await members.editor.json<any>('POST', `/posts/${id}/versions/${first}/restore`);
    expect(restored.status).toBe(200);
    // An edit of an approved post: back to review, which is itself a new version.
    expect(restored.body).toMatchObject({ content: 'First', status: 'in_review' });
    const after = await owner.json<any>('GET', `/posts/${id}/versions`);
    expect(after.body.items[0]).toMatchObject({
      status: 'in_review',
      content: 'First',
      createdBy: members.editor.userId,
    });

    expect((await owner.json<any>('POST', `/posts/${id}/versions/${randomUUID()}/restore`)).status).toBe(404);
    const other = await owner.json<any>('POST', '/posts', { campaignId: campaignOf.team, content: 'Other' });
    expect((await owner.json<any>('POST', `/posts/${other.body.id}/versions/${first}/restore`)).status).toBe(404);
    expect((await owner.json<any>('GET', `/posts/${randomUUID()}/versions`)).status).toBe(404);
    const stranger = await registerOwner(app.url, 'stranger');
    expect((await stranger.json<any>('GET', `/posts/${id}/versions`)).status).toBe(404);
  });
});
