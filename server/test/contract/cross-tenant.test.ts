import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../api.ts';
import { feedCount } from '../feed.ts';
import { buildWorld, PNG, type World } from '../world.ts';

// Walks every operation of the OpenAPI document as a member of organisation A, aiming each at
// organisation B's ids. Paths and filters must answer 404, ids inside bodies 422, and B must
// not change. A new route with an id nobody taught this test about fails it, so coverage
// cannot silently fall behind the API.

let app: TestApp;
let a: World;
let b: World;
let bInvitationId: string;
let doc: {
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string; in: string }[] }>>;
};

beforeAll(async () => {
  app = await startTestApp();
  a = await buildWorld(app.url, 'a');
  b = await buildWorld(app.url, 'b');
  bInvitationId = (
    await b.owner.json<{ id: string }>('POST', '/invitations', { email: 'b-pending@example.com', role: 'viewer' })
  ).body.id;
  doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as typeof doc;
}, 120_000);
afterAll(() => app?.close());

/** B's id for a path, by the collection the {id} belongs to. */
function theirId(path: string): string | undefined {
  const collection = path.split('/')[1];
  return (
    {
      clients: b.clientId,
      campaigns: b.campaignId,
      posts: b.postId,
      notes: b.noteId,
      assets: b.assetId,
      users: b.owner.userId,
      invitations: bInvitationId,
      // The session id is the token's first part.
      me: b.owner.token.split('.')[0]!,
    } as Record<string, string>
  )[collection!];
}

/** A body that would be accepted for A's own resource, so only the id decides the answer. */
function bodyFor(method: string, path: string): unknown {
  if (path === '/posts/{id}/status') return { status: 'in_review' };
  const byCollection: Record<string, unknown> = {
    clients: { contactName: 'Taken over' },
    campaigns: { name: 'Taken over' },
    posts: { content: 'Taken over' },
    notes: { body: 'Taken over' },
    users: { name: 'Taken over' },
  };
  return method === 'patch' || method === 'post' || method === 'put' ? byCollection[path.split('/')[1]!] : undefined;
}

const FILTERS: Record<string, () => string> = {
  clientId: () => b.clientId,
  campaignId: () => b.campaignId,
  postId: () => b.postId,
};

async function snapshotOfB() {
  const o = b.owner;
  const reads = await Promise.all(
    [
      `/clients/${b.clientId}`,
      `/campaigns/${b.campaignId}`,
      `/posts/${b.postId}`,
      `/notes?campaignId=${b.campaignId}`,
      `/assets/${b.assetId}`,
      `/users?limit=200`,
      '/organisation',
      `/posts/${b.postId}/metrics`,
      // B's owner still signed in (a foreign session delete would end it) and invitations intact.
      '/invitations',
    ].map(async (p) => (await o.json('GET', p)).body),
  );
  return { reads, changes: await feedCount(app.database.db, b.owner.organisationId) };
}

describe("another organisation's data", () => {
  it('is invisible to every operation in the OpenAPI document', async () => {
    const before = await snapshotOfB();
    const checked: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
        const label = `${method.toUpperCase()} ${path}`;
        if (path.includes('{id}')) {
          const id = theirId(path);
          expect(id, `no foreign id known for ${label}`).toBeDefined();
          const res = await a.owner.json(method.toUpperCase(), path.replace('{id}', id!), bodyFor(method, path));
          expect(res.status, label).toBe(404);
          expect(res.res.headers.get('content-type'), label).toContain('application/problem+json');
          checked.push(label);
        }
        if (path.includes('{id}')) continue;
        const filters = (op.parameters ?? []).filter((p) => p.in === 'query' && p.name in FILTERS);
        for (const f of filters) {
          const res = await a.owner.json(method.toUpperCase(), `${path}?${f.name}=${FILTERS[f.name]!()}`);
          expect(res.status, `${label}?${f.name}`).toBe(404);
          checked.push(`${label}?${f.name}`);
        }
      }
    }
    // Ids inside bodies answer 422 naming the field.
    const bodies: Array<[string, string, unknown, string]> = [
      [
        'POST',
        '/campaigns',
        { clientId: b.clientId, name: 'X', platform: 'x', startDate: '2026-01-01', endDate: '2026-01-02' },
        'clientId',
      ],
      ['POST', '/posts', { campaignId: b.campaignId, content: 'X', platform: 'x' }, 'campaignId'],
      ['PATCH', `/posts/${a.postId}`, { assetIds: [b.assetId] }, 'assetIds'],
      ['POST', '/notes', { campaignId: b.campaignId, body: 'X' }, 'campaignId'],
      ['POST', '/notes', { postId: b.postId, body: 'X' }, 'postId'],
      ['POST', '/notes', { campaignId: a.campaignId, parentId: b.noteId, body: 'X' }, 'parentId'],
      [
        'POST',
        '/metrics',
        {
          snapshots: [
            { postId: b.postId, capturedAt: '2026-05-01T00:00:00Z', likes: 1, shares: 1, comments: 1, impressions: 1 },
          ],
        },
        'snapshots.0.postId',
      ],
    ];
    for (const [method, path, body, field] of bodies) {
      const res = await a.owner.json<any>(method, path, body);
      expect(res.status, `${method} ${path} with B's ${field}`).toBe(422);
      expect(JSON.stringify(res.body.errors ?? res.body.detail), `${method} ${path}`).toContain(field.split('.')[0]!);
      checked.push(`${method} ${path} body.${field}`);
    }
    const form = new FormData();
    form.set('campaignId', b.campaignId);
    form.set('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'x.png');
    const upload = await fetch(`${app.url}/api/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.owner.token}` },
      body: form,
    });
    expect([404, 422]).toContain(upload.status);

    expect(checked.length).toBeGreaterThan(20);
    expect(await snapshotOfB()).toEqual(before);
  });
});
