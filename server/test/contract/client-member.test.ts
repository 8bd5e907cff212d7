import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCode, connectClient, synced } from '../../src/collab/testkit.ts';
import { addMember, type Caller, startTestApp, type TestApp } from '../api.ts';
import { connected, socketTracker, until } from '../sockets.ts';
import { buildWorld, expectOk, uploadAsset, type World } from '../world.ts';

// Walks every operation of the OpenAPI document as a client member of one client, aiming each
// at another client's ids in the same organisation (and at the team's internals): paths and
// filters answer 404 (or 403 for writes it may never make), ids in bodies 422, no answer
// carries anything of the other client or a team-only note, and nothing changes. Then the same
// over the socket change feed and collab.

let app: TestApp;
let w: World;
let member: Caller;
let doc: {
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string; in: string }[] }>>;
};
const other = {} as Record<'clientId' | 'campaignId' | 'postId' | 'noteId' | 'assetId' | 'invitationId', string>;
let teamNoteId: string;
const tracker = socketTracker();

// Words that must never reach the client member.
const SECRET = {
  client: `Zanzibar ${randomUUID().slice(0, 6)}`,
  campaign: `Quokka ${randomUUID().slice(0, 6)}`,
  post: 'Narwhal season opens',
  note: 'Ocelot remark for the other client',
  teamNote: 'Pangolin: internal margin talk',
};

beforeAll(async () => {
  app = await startTestApp();
  w = await buildWorld(app.url, 'cm');
  const o = w.owner;
  await expectOk(o.json('PATCH', `/clients/${w.clientId}`, { approvalPolicy: 'team_and_client' }), 'policy');
  member = await addMember(app.url, o, 'client', [w.clientId]);
  const client = await expectOk(o.json('POST', '/clients', { name: SECRET.client }), 'other client');
  other.clientId = client.id;
  other.campaignId = (
    await expectOk(
      o.json('POST', '/campaigns', {
        clientId: client.id,
        name: SECRET.campaign,
        platform: 'mastodon',
        startDate: '2026-01-01',
        endDate: '2027-12-31',
      }),
      'other campaign',
    )
  ).id;
  other.postId = (
    await expectOk(
      o.json('POST', '/posts', { campaignId: other.campaignId, content: SECRET.post, platform: 'mastodon' }),
      'other post',
    )
  ).id;
  other.noteId = (
    await expectOk(
      o.json('POST', '/notes', { postId: other.postId, body: SECRET.note, visibility: 'client' }),
      'other note',
    )
  ).id;
  other.assetId = (await expectOk(uploadAsset(app.url, o, { postId: other.postId }), 'other asset')).id;
  other.invitationId = (
    await expectOk(o.json('POST', '/invitations', { email: 'pending-cm@example.com', role: 'viewer' }), 'invitation')
  ).id;
  teamNoteId = (await expectOk(o.json('POST', '/notes', { postId: w.postId, body: SECRET.teamNote }), 'team note')).id;
  doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as typeof doc;
}, 120_000);
afterAll(async () => {
  tracker.closeAll();
  await app?.close();
});

function leaks(body: unknown): string[] {
  const text = JSON.stringify(body ?? null);
  const found = [
    ...Object.values(SECRET),
    ...Object.values(other),
    teamNoteId,
    // Other members: no e-mail addresses, no ids beyond names on what the client sees.
    w.owner.email,
    ...Object.values(w.members).map((m) => m.email),
  ].filter((s) => text.includes(s));
  return found;
}

function theirId(path: string): string {
  const collection = path.split('/')[1];
  return (
    {
      clients: other.clientId,
      campaigns: other.campaignId,
      posts: other.postId,
      notes: other.noteId,
      assets: other.assetId,
      users: w.members.editor.userId,
      invitations: other.invitationId,
      me: w.owner.token.split('.')[0]!,
    } as Record<string, string>
  )[collection!]!;
}

function bodyFor(method: string, path: string): unknown {
  if (path === '/posts/{id}/status') return { status: 'approved' };
  const byCollection: Record<string, unknown> = {
    clients: { contactName: 'Taken over' },
    campaigns: { name: 'Taken over' },
    posts: { content: 'Taken over' },
    notes: { body: 'Taken over' },
    users: { name: 'Taken over' },
  };
  return method === 'patch' || method === 'post' || method === 'put' ? byCollection[path.split('/')[1]!] : undefined;
}

async function snapshotOfOthers() {
  const o = w.owner;
  return Promise.all(
    [
      `/clients/${other.clientId}`,
      `/campaigns/${other.campaignId}`,
      `/posts/${other.postId}`,
      `/notes?postId=${other.postId}`,
      `/notes?postId=${w.postId}`,
      `/assets/${other.assetId}`,
      '/users?limit=200',
      '/organisation',
      '/invitations',
    ].map(async (p) => (await o.json('GET', p)).body),
  );
}

describe('a client member', () => {
  it('sees its own client, its posts and client-visible notes, and no team-only note', async () => {
    const own = await member.json<any>('GET', `/posts/${w.postId}`);
    expect(own.status).toBe(200);
    const clients = await member.json<any>('GET', '/clients');
    expect(clients.body.items.map((c: { id: string }) => c.id)).toEqual([w.clientId]);
    const shared = await expectOk(
      w.owner.json('POST', '/notes', { postId: w.postId, body: 'For the client', visibility: 'client' }),
      'shared',
    );
    const notes = await member.json<any>('GET', `/notes?postId=${w.postId}`);
    expect(notes.body.items.map((n: { id: string }) => n.id)).toEqual([shared.id]);
    // Its own notes are always client-visible, whatever it asks for.
    const mine = await member.json<any>('POST', '/notes', { postId: w.postId, body: 'Hi', visibility: 'team' });
    expect(mine.status).toBe(201);
    expect(mine.body.visibility).toBe('client');
    // A reply to a team note is impossible: the parent is invisible.
    const reply = await member.json<any>('POST', '/notes', { parentId: teamNoteId, body: 'peek' });
    expect(reply.status).toBe(422);
    // Only itself among the members, and no internals.
    const users = await member.json<any>('GET', '/users');
    expect(users.body.items.map((u: { id: string }) => u.id)).toEqual([member.userId]);
    expect((await member.json('GET', '/invitations')).status).toBe(403);
  });

  it("reaches nothing of another client or the team's internals through any operation", async () => {
    const before = await snapshotOfOthers();
    const checked: string[] = [];
    const FILTERS: Record<string, string> = {
      clientId: other.clientId,
      campaignId: other.campaignId,
      postId: other.postId,
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
        const label = `${method.toUpperCase()} ${path}`;
        if (path.includes('{id}')) {
          const concrete = path.replace('{id}', theirId(path)).replace(/\{[a-zA-Z]+\}/g, randomUUID());
          const res = await member.json(method.toUpperCase(), concrete, bodyFor(method, path));
          if (method === 'get') expect(res.status, label).toBe(404);
          else expect([403, 404], label).toContain(res.status);
          expect(leaks(res.body), label).toEqual([]);
          checked.push(label);
          continue;
        }
        if (method === 'get') {
          const queries =
            path === '/search'
              ? ['zanzibar', 'quokka', 'narwhal', 'ocelot', 'pangolin'].map((q) => `?q=${q}`)
              : path === '/changes'
                ? ['', '?after=0&limit=1000']
                : [''];
          for (const query of queries) {
            const res = await member.json('GET', `${path}${query}`);
            expect(res.status, `${label}${query}`).toBeLessThan(500);
            expect(leaks(res.body), `${label}${query}`).toEqual([]);
            checked.push(`${label}${query}`);
          }
        }
        const filters = (op.parameters ?? []).filter((p) => p.in === 'query' && p.name in FILTERS);
        for (const f of filters) {
          const res = await member.json(method.toUpperCase(), `${path}?${f.name}=${FILTERS[f.name]}`);
          expect(res.status, `${label}?${f.name}`).toBe(404);
          expect(leaks(res.body), `${label}?${f.name}`).toEqual([]);
          checked.push(`${label}?${f.name}`);
        }
      }
    }
    const bodies: Array<[string, string, unknown, string]> = [
      ['POST', '/notes', { postId: other.postId, body: 'X' }, 'postId'],
      ['POST', '/notes', { campaignId: other.campaignId, body: 'X' }, 'campaignId'],
      ['POST', '/notes', { parentId: other.noteId, body: 'X' }, 'parentId'],
    ];
    for (const [method, path, body, field] of bodies) {
      const res = await member.json<any>(method, path, body);
      expect(res.status, `${method} ${path} with ${field}`).toBe(422);
      expect(leaks(res.body)).toEqual([]);
      checked.push(`${method} ${path} body.${field}`);
    }
    for (const [method, path, body] of [
      [
        'POST',
        '/campaigns',
        { clientId: other.clientId, name: 'X', platform: 'x', startDate: '2026-01-01', endDate: '2026-01-02' },
      ],
      ['POST', '/posts', { campaignId: other.campaignId, content: 'X', platform: 'x' }],
      ['PATCH', `/users/${member.userId}`, { clientIds: [other.clientId] }],
    ] as const) {
      const res = await member.json<any>(method, path, body);
      expect([403, 404, 422], `${method} ${path}`).toContain(res.status);
    }
    expect(checked.length).toBeGreaterThan(30);
    expect(await snapshotOfOthers()).toEqual(before);
  }, 120_000);

  it('receives change events only about what it may see, and opens only its posts (read-only)', async () => {
    const sock = tracker.socket(app.url, { token: member.token });
    const got: Array<{ seq: number; entity: string; id: string; data?: unknown }> = [];
    sock.on('change', (c) => got.push(c));
    await connected(sock);
    const team = tracker.socket(app.url, { token: w.owner.token });
    let teamSeen = 0;
    team.on('change', () => teamSeen++);
    await connected(team);
    const o = w.owner;
    await expectOk(o.json('PATCH', `/posts/${other.postId}`, { content: `${SECRET.post} again` }), 'other edit');
    await expectOk(o.json('POST', '/notes', { postId: w.postId, body: `${SECRET.teamNote} 2` }), 'team note 2');
    await expectOk(o.json('PATCH', `/posts/${w.postId}`, { content: 'Hello client' }), 'own edit');
    const last = await expectOk(
      o.json('POST', '/notes', { postId: w.postId, body: 'Shared at last', visibility: 'client' }),
      'shared',
    );
    await until(
      () => got.some((c) => c.id === last.id),
      10_000,
      () => got,
    );
    await until(() => teamSeen >= 4, 10_000, 'team events');
    expect(got.map((c) => c.id)).toEqual([w.postId, last.id]);
    expect(leaks(got)).toEqual([]);
    // Its seq skips what it may not see, but still rises.
    expect(got[1]!.seq).toBeGreaterThan(got[0]!.seq + 0);
    const feed = await member.json<any>('GET', `/changes?after=${got[0]!.seq - 1}`);
    expect(feed.body.changes.map((c: { id: string }) => c.id)).toEqual([w.postId, last.id]);

    // A subscription to another client's post is refused like an unknown one.
    const ack = await sock.emitWithAck('subscribe', { postId: other.postId });
    expect(ack).toEqual({ ok: false, code: 'not_found' });

    const wsUrl = `${app.url.replace(/^http/, 'ws')}/collab`;
    const theirs = connectClient(wsUrl, `post:${other.postId}`, member.token);
    expect(await closeCode(theirs)).toBe(4404);
    theirs.destroy();
    const theirNote = connectClient(wsUrl, `note:${teamNoteId}`, member.token, 'body');
    expect(await closeCode(theirNote)).toBe(4404);
    theirNote.destroy();
    const own = connectClient(wsUrl, `post:${w.postId}`, member.token);
    await synced(own);
    expect(own.text.toString()).toBe('Hello client');
    expect(own.modes[0]).toMatch(/^read-only/);
    own.destroy();
  }, 60_000);

  it('is told when something it could see is deleted, and of no other delete', async () => {
    const sock = tracker.socket(app.url, { token: member.token });
    const got: Array<{ seq: number; op: string; entity: string; id: string; data?: unknown }> = [];
    sock.on('change', (c) => got.push(c));
    await connected(sock);
    const o = w.owner;
    const shared = await expectOk(
      o.json('POST', '/notes', { postId: w.postId, body: 'To be withdrawn', visibility: 'client' }),
      'shared note',
    );
    const internal = await expectOk(o.json('POST', '/notes', { postId: w.postId, body: 'Internal, to go' }), 'note');
    const extra = await expectOk(
      o.json('POST', '/posts', { campaignId: w.campaignId, content: 'Short-lived', platform: 'mastodon' }),
      'post',
    );
    const theirs = await expectOk(
      o.json('POST', '/posts', { campaignId: other.campaignId, content: 'Theirs, to go', platform: 'mastodon' }),
      'their post',
    );
    await until(() => got.some((c) => c.id === extra.id), 10_000, 'the new post');
    for (const path of [`/notes/${internal.id}`, `/posts/${theirs.id}`, `/notes/${shared.id}`, `/posts/${extra.id}`])
      expect((await o.call('DELETE', path)).status).toBe(204);
    await until(
      () => got.some((c) => c.op === 'delete' && c.id === extra.id),
      10_000,
      () => got,
    );
    const deletes = got.filter((c) => c.op === 'delete');
    expect(deletes.map((c) => [c.entity, c.id])).toEqual([
      ['note', shared.id],
      ['post', extra.id],
    ]);
    // A delete is sent as the contract says: no data (the scope it was kept with stays home).
    expect(deletes.every((c) => !('data' in c))).toBe(true);
    const feed = await member.json<any>('GET', `/changes?after=${deletes[0]!.seq - 1}`);
    const fed = feed.body.changes.filter((c: { op: string }) => c.op === 'delete');
    expect(fed.map((c: { id: string }) => c.id)).toEqual([shared.id, extra.id]);
    expect(fed.every((c: object) => !('data' in c))).toBe(true);
    // The team's feed has every delete, also without data.
    const team = await o.json<any>('GET', `/changes?after=${deletes[0]!.seq - 10}&limit=200`);
    const teamDeletes = team.body.changes.filter((c: { op: string }) => c.op === 'delete');
    expect(teamDeletes.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining([internal.id, theirs.id, shared.id, extra.id]),
    );
    expect(teamDeletes.every((c: object) => !('data' in c))).toBe(true);
  }, 60_000);

  it('gets the clients an owner gives it by PATCH /users clientIds, at once', async () => {
    const res = await w.owner.json<any>('PATCH', `/users/${member.userId}`, {
      clientIds: [w.clientId, other.clientId],
    });
    expect(res.status).toBe(200);
    expect(res.body.clientIds.sort()).toEqual([w.clientId, other.clientId].sort());
    expect((await member.json('GET', `/posts/${other.postId}`)).status).toBe(200);
    // A team member has no clients.
    const bad = await w.owner.json<any>('PATCH', `/users/${w.members.editor.userId}`, { clientIds: [w.clientId] });
    expect(bad.status).toBe(400);
    const unknown = await w.owner.json<any>('PATCH', `/users/${member.userId}`, { clientIds: [randomUUID()] });
    expect(unknown.status).toBe(422);
    await expectOk(w.owner.json('PATCH', `/users/${member.userId}`, { clientIds: [w.clientId] }), 'back');
    expect((await member.json('GET', `/posts/${other.postId}`)).status).toBe(404);
  });
});
